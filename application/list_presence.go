package application

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/orderalert/orderalert/domain/shop"
)

// ListPresence lists the dashboards connected to every instance that watch the caller's shops
// (GET /admin/presence). An instance whose heartbeat is older than StaleAfter — two ping
// intervals — is taken for dead, and its screens are not listed: nothing else removes the rows
// of an instance that was killed.
type ListPresence struct {
	Store      PresenceStore
	StaleAfter time.Duration
}

// Execute returns the screens in order of connection.
func (uc ListPresence) Execute(ctx context.Context, scope shop.Scope) ([]Screen, error) {
	screens, err := uc.Store.Screens(ctx, scope, uc.StaleAfter)
	if err != nil {
		return nil, fmt.Errorf("list presence: %w", err)
	}
	// Stores sort already; a stable sort here makes the order the use case's promise.
	slices.SortStableFunc(screens, func(a, b Screen) int { return a.ConnectedAt.Compare(b.ConnectedAt) })
	return screens, nil
}
