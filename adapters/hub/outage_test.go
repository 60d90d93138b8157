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
)

// awayLog is an alert log whose database can be taken away.
type awayLog struct {
	application.AlertLog
	away atomic.Bool
}

func (l *awayLog) After(ctx context.Context, afterID int64, limit int) ([]alert.Alert, error) {
	if l.away.Load() {
		return nil, fmt.Errorf("alerts after %d: %w", afterID, application.ErrDatabaseUnavailable)
	}
	return l.AlertLog.After(ctx, afterID, limit)
}

func (l *awayLog) Latest(ctx context.Context, limit int) ([]alert.Alert, error) {
	if l.away.Load() {
		return nil, fmt.Errorf("latest alerts: %w", application.ErrDatabaseUnavailable)
	}
	return l.AlertLog.Latest(ctx, limit)
}

// TestAResumeDuringADatabaseOutageIsToldToTryAgain: a socket whose replay cannot read the log
// because the database is away is closed with 1013 (try again later), not 1011: the socket did
// nothing wrong, and its client reconnects with lastAlertId after a backoff.
func TestAResumeDuringADatabaseOutageIsToldToTryAgain(t *testing.T) {
	log := &awayLog{AlertLog: memory.NewStore(time.Now)}
	h := hub.New(hub.Config{PingInterval: time.Hour, QueueLimit: 1024, ReplayPageSize: 7, FeedInterval: time.Hour},
		log, slog.New(slog.DiscardHandler))
	if err := h.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	log.away.Store(true)
	s, from := &fakeSocket{}, int64(0)
	detach, err := h.Attach(s, application.DashboardOptions{SID: "resumer", LastAlertID: &from})
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
}
