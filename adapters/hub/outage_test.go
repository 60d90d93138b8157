package hub_test

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/orderalert/orderalert/adapters/hub"
	"github.com/orderalert/orderalert/adapters/memory"
	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/shop"
)

// awayLog is an alert log whose database can be taken away from the replay's first read (the
// last assigned id) or from its page reads.
type awayLog struct {
	application.AlertLog
	lastIDAway, pagesAway atomic.Bool
}

func (l *awayLog) LastAssignedID(ctx context.Context) (int64, error) {
	if l.lastIDAway.Load() {
		return 0, fmt.Errorf("last alert id: %w", application.ErrDatabaseUnavailable)
	}
	return l.AlertLog.LastAssignedID(ctx)
}

func (l *awayLog) After(ctx context.Context, f application.AlertFilter, afterID int64, limit int) ([]alert.Alert, error) {
	if l.pagesAway.Load() {
		return nil, fmt.Errorf("alerts after %d: %w", afterID, application.ErrDatabaseUnavailable)
	}
	return l.AlertLog.After(ctx, f, afterID, limit)
}

// TestAResumeDuringADatabaseOutageIsToldToTryAgain: a socket whose replay cannot read the log
// because the database is away is closed with 1013 (try again later), not 1011: the socket did
// nothing wrong, and its client reconnects with lastAlertId after a backoff.
func TestAResumeDuringADatabaseOutageIsToldToTryAgain(t *testing.T) {
	for name, away := range map[string]func(*awayLog) *atomic.Bool{
		"reading the last id": func(l *awayLog) *atomic.Bool { return &l.lastIDAway },
		"reading a page":      func(l *awayLog) *atomic.Bool { return &l.pagesAway },
	} {
		t.Run(name, func(t *testing.T) {
			log := &awayLog{AlertLog: memory.NewStore(time.Now)}
			h := hub.New(hub.Config{PingInterval: time.Hour, QueueLimit: 1024, ReplayPageSize: 7, FeedInterval: time.Hour},
				log, slog.New(slog.DiscardHandler))
			if err := h.Start(t.Context()); err != nil {
				t.Fatal(err)
			}
			away(log).Store(true)
			s, from := &fakeSocket{}, int64(0)
			detach, err := h.Attach(s, application.DashboardOptions{Shops: shop.Everything(), SID: "resumer", LastAlertID: &from})
			if err != nil {
				t.Fatal(err)
			}
			eventually(t, "the socket closed", func() bool { return s.closeCode() != 0 })
			if code := s.closeCode(); code != 1013 {
				t.Errorf("close %d, want 1013", code)
			}
			detach()
			if err := h.Stop(context.Background()); err != nil {
				t.Fatal(err)
			}
		})
	}
}
