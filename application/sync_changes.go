package application

import "context"

var _ ChangeSync = SyncChanges{}

// SyncChanges brings this instance up to date with the database: when the change counter has
// moved it reloads the access check's copy, then closes every dashboard socket whose credential
// no longer holds (4401). It runs every second, so that a change made on another instance or by
// the command line holds here within about a second, and right after this instance commits one
// (Sync).
type SyncChanges struct {
	Access     *AccessCheck
	Dashboards Dashboards
}

// Execute refreshes and, if anything changed, closes the sockets of revoked credentials.
func (uc SyncChanges) Execute(ctx context.Context) error {
	changed, err := uc.Access.Refresh(ctx)
	if changed {
		uc.Dashboards.Revoke(uc.Access.Holds)
	}
	return err
}

// Sync implements ChangeSync.
func (uc SyncChanges) Sync(ctx context.Context) error { return uc.Execute(ctx) }
