package application_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/orderalert/orderalert/adapters/memory"
	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/channel"
)

// screens answers HadScreen from a set of shops.
type screens map[int64]bool

func (s screens) HadScreen(_ context.Context, shopID int64, _, _ time.Time, _ time.Duration) (bool, error) {
	return s[shopID], nil
}

type plainBodies struct{}

func (plainBodies) Body(_ channel.Kind, reason string, alerts []alert.Alert) ([]byte, error) {
	return fmt.Appendf(nil, "%s %d", reason, alerts[0].ID), nil
}

// scriptedSender answers each attempt with the next outcome of its script.
type scriptedSender struct {
	script []application.AttemptOutcome
	sent   []string
}

func (s *scriptedSender) Send(_ context.Context, d application.Delivery) application.Attempt {
	o := s.script[0]
	s.script = s.script[1:]
	if o == application.AttemptSent {
		s.sent = append(s.sent, string(d.Body))
		return application.Attempt{Outcome: o}
	}
	return application.Attempt{Outcome: o, Err: errors.New("webhook: 503")}
}

type countEscalations struct{ reasons []string }

func (c *countEscalations) Escalated(reason string)                            { c.reasons = append(c.reasons, reason) }
func (c *countEscalations) Attempted(channel.Kind, application.AttemptOutcome) {}

// TestEscalateChoosesItsReasonAndRetries: a shop without a screen is escalated at the end of
// the grace as no_screen; one with a screen only once the alert is due, as unacknowledged; a
// failed attempt waits its backoff and is sent on the next.
func TestEscalateChoosesItsReasonAndRetries(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	store := memory.NewStore(func() time.Time { return now })
	schedule := memory.NewEscalations(store)
	for _, shopID := range []int64{1, 2} {
		if _, err := schedule.Add(t.Context(), channel.Channel{ShopID: shopID, Kind: channel.Webhook, URL: "https://x.example/h", Secret: "s"}); err != nil {
			t.Fatal(err)
		}
	}
	publish := func(shopID int64) alert.Alert {
		a, _, err := store.Publish(t.Context(), alert.Alert{Type: 10, ShopID: shopID, Source: "pms", Content: "x", CreatedAt: now})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	heard, silent := publish(1), publish(2)
	sender := &scriptedSender{script: []application.AttemptOutcome{application.AttemptSent, application.AttemptRetry, application.AttemptSent}}
	observed := &countEscalations{}
	uc := application.Escalate{
		Schedule: schedule, Presence: screens{1: true}, Shops: memory.NewShops(now), Composer: plainBodies{}, Sender: sender, Observer: observed,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), After: 2 * time.Minute, Grace: 15 * time.Second,
		Rate: application.Rate{N: 20, Per: time.Minute}, StaleAfter: time.Minute, Lease: 20 * time.Second,
	}
	pass := func() {
		t.Helper()
		if _, err := uc.Decide(t.Context()); err != nil {
			t.Fatal(err)
		}
		if _, err := uc.Deliver(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	now = now.Add(10 * time.Second)
	pass()
	if len(observed.reasons) != 0 {
		t.Fatalf("escalated within the grace: %v", observed.reasons)
	}
	now = now.Add(10 * time.Second) // 20 s: the grace has passed
	pass()
	if fmt.Sprint(observed.reasons) != "[no_screen]" || fmt.Sprint(sender.sent) != fmt.Sprintf("[no_screen %d]", silent.ID) {
		t.Fatalf("after the grace: escalated %v, sent %v; want shop 2's alert as no_screen", observed.reasons, sender.sent)
	}
	now = now.Add(2 * time.Minute) // shop 1's alert is due; its first attempt fails
	pass()
	if fmt.Sprint(observed.reasons) != "[no_screen unacknowledged]" || len(sender.sent) != 1 {
		t.Fatalf("at the due time: escalated %v, sent %v; want unacknowledged, its first attempt failed", observed.reasons, sender.sent)
	}
	now = now.Add(2 * time.Second) // within the 5 s backoff
	pass()
	if len(sender.script) != 1 {
		t.Fatal("a retry was attempted within its backoff")
	}
	now = now.Add(5 * time.Second)
	pass()
	if want := fmt.Sprintf("[no_screen %d unacknowledged %d]", silent.ID, heard.ID); fmt.Sprint(sender.sent) != want {
		t.Fatalf("sent %v, want %s", sender.sent, want)
	}
	now = now.Add(time.Hour)
	pass() // nothing left: the script is empty, another attempt would panic
}
