package application_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
)

func TestPruneAlertsKeepsWhatIsWithinTheRetention(t *testing.T) {
	t.Parallel()
	s := newShop()
	old := s.paidOrder(t, 7)
	s.clock.now = s.clock.now.Add(47 * time.Hour)
	recent := s.paidOrder(t, 7)
	s.clock.now = s.clock.now.Add(2 * time.Hour) // the first alert is 49 hours old, the second 2
	prune := application.PruneAlerts{Alerts: s.store, Clock: s.clock, Retention: 48 * time.Hour}
	n, err := prune.Execute(t.Context())
	if err != nil || n != 1 {
		t.Fatalf("Execute = %d, %v; want 1 pruned", n, err)
	}
	kept, err := s.store.After(t.Context(), application.EveryAlert(), 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(kept) != 1 || kept[0].OrderID != recent.ID || slices.ContainsFunc(kept, func(a alert.Alert) bool { return a.OrderID == old.ID }) {
		t.Fatalf("kept %+v, want only the alert of order %d", kept, recent.ID)
	}
}

func TestPruneAlertsRefusesANonPositiveRetention(t *testing.T) {
	t.Parallel()
	s := newShop()
	s.paidOrder(t, 7)
	for _, retention := range []time.Duration{0, -time.Hour} {
		prune := application.PruneAlerts{Alerts: s.store, Clock: s.clock, Retention: retention}
		if _, err := prune.Execute(t.Context()); !errors.Is(err, application.ErrInvalidInput) {
			t.Errorf("retention %s: %v, want ErrInvalidInput", retention, err)
		}
	}
	if kept, _ := s.store.After(t.Context(), application.EveryAlert(), 0, 10); len(kept) != 1 {
		t.Fatalf("a refused prune removed alerts: %d left", len(kept))
	}
}
