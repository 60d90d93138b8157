package application

import (
	"context"
	"fmt"
)

// Logout ends the admin token it is called with (POST /admin/employee/logout), on every instance:
// the token is denied until it expires, and the dashboard sockets opened with it, directly or
// through a ticket, are closed with 4401. The account's other tokens keep working: shops share
// one account across screens, and a cashier's logout must not silence the counter.
type Logout struct {
	Denylist TokenDenylist
	Sync     ChangeSync
	// Push forgets the push subscriptions registered with the token: a shared screen whose
	// cashier logged out must not keep ringing their phone. Nil: no Web Push.
	Push PushSubscriptions
}

// Execute denies the token with these claims.
func (uc Logout) Execute(ctx context.Context, token Claims) error {
	if err := uc.Denylist.Deny(ctx, token.ID, token.Subject, token.ExpiresAt); err != nil {
		return fmt.Errorf("log out employee %d: %w", token.Subject, err)
	}
	if uc.Push != nil {
		if err := uc.Push.RemoveToken(ctx, token.ID); err != nil {
			return fmt.Errorf("log out employee %d: %w", token.Subject, err)
		}
	}
	return uc.Sync.Sync(ctx)
}
