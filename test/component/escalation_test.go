package component_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	fws "github.com/fasthttp/websocket"
	"go.uber.org/fx"

	"github.com/orderalert/orderalert/adapters/clock"
	"github.com/orderalert/orderalert/adapters/persistence"
	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/channel"
	"github.com/orderalert/orderalert/test/botstandin"
	"github.com/orderalert/orderalert/test/pgtest"
)

// escalateSoon makes escalation quick enough for a test: a second of grace, due after after.
func escalateSoon(after time.Duration) fx.Option {
	return fx.Decorate(func(uc application.Escalate) application.Escalate {
		uc.Grace, uc.After = time.Second, after
		return uc
	})
}

// addChannel adds a channel to shop 1, as `orderalert channel add` does.
func (s *service) addChannel(t *testing.T, kind channel.Kind, url, secret string) {
	t.Helper()
	uc := application.AddChannel{Channels: persistence.NewChannelRepository(s.db), Shops: persistence.NewShopRepository(s.db), Clock: clock.System{}}
	if _, err := uc.Execute(context.Background(), channel.Channel{ShopID: 1, Kind: kind, URL: url, Secret: secret}); err != nil {
		t.Fatal(err)
	}
}

// armedScreen opens an ?events=1 socket that says it can be heard.
func (s *service) armedScreen(t *testing.T, admin http.Header, sid string, audio bool) *dashboard {
	t.Helper()
	d := s.dashboardWith(t, admin, sid, "events=1")
	state, _ := json.Marshal(map[string]any{"type": "state", "audio": audio, "visible": true})
	if err := d.conn.WriteMessage(fws.TextMessage, state); err != nil {
		t.Fatal(err)
	}
	return d
}

// waitMessages waits until the stand-in accepted n messages, and fails if it accepts more.
func waitMessages(t *testing.T, hook *botstandin.Server, n int, within time.Duration) []botstandin.Message {
	t.Helper()
	deadline := time.Now().Add(within)
	for len(hook.Messages()) < n {
		if time.Now().After(deadline) {
			t.Fatalf("the webhook accepted %d messages within %s, want %d; refused: %v", len(hook.Messages()), within, n, hook.Refused())
		}
		time.Sleep(50 * time.Millisecond)
	}
	return hook.Messages()
}

type escalated struct {
	Alert struct {
		ID int64 `json:"id"`
	} `json:"alert"`
}

func alertIDOf(t *testing.T, m botstandin.Message) int64 {
	t.Helper()
	var e escalated
	if err := json.Unmarshal(m.Body, &e); err != nil {
		t.Fatalf("escalation body %s: %v", m.Body, err)
	}
	return e.Alert.ID
}

// TestAnUnhandledAlertReachesTheWebhookOnce: two instances on one PostgreSQL database, both
// passing over the schedule, a screen that can be heard: an alert nobody acknowledges reaches
// the shop's webhook exactly once, ORDERALERT_ESCALATE_AFTER after its creation, signed, with
// reason "unacknowledged"; an alert acknowledged in time never does.
func TestAnUnhandledAlertReachesTheWebhookOnce(t *testing.T) {
	t.Parallel()
	url := pgtest.NewDatabase(t)
	a, b := start(t, url, nil, escalateSoon(3*time.Second)), start(t, url, nil, escalateSoon(3*time.Second))
	hook := botstandin.NewWebhook(t, "webhook-secret-for-tests")
	a.addChannel(t, channel.Webhook, hook.URL, hook.Secret)
	admin := a.adminHeader(t)
	screen := a.armedScreen(t, admin, "counter", true)
	waitAttached(t, a, []*dashboard{screen})
	time.Sleep(1500 * time.Millisecond) // the screen's state is written (batched once a second)

	if err := a.payNewOrder(t, a.userHeader(t, 7)); err != nil {
		t.Fatal(err)
	}
	if err := b.payNewOrder(t, b.userHeader(t, 8)); err != nil {
		t.Fatal(err)
	}
	stored := a.alerts(t, admin)
	unhandled, handled := stored[0], stored[1]
	expect(t, a.ack(t, admin, handled.ID, nil), http.StatusOK, 1)
	created, err := time.Parse(time.RFC3339, unhandled.CreatedAt)
	if err != nil {
		t.Fatal(err)
	}

	got := waitMessages(t, hook, 1, 10*time.Second)
	m := got[0]
	t.Logf("the escalation (%s) arrived %s after the alert", m.Reason, time.Since(created).Round(10*time.Millisecond))
	if since := time.Since(created); since < 2*time.Second {
		t.Fatalf("escalated (%s) %s after the alert, before ORDERALERT_ESCALATE_AFTER (3s)", m.Reason, since)
	}
	if m.Reason != application.ReasonUnacknowledged || alertIDOf(t, m) != unhandled.ID || m.Delivery == "" {
		t.Fatalf("escalation %s (delivery %q), want alert %d, unacknowledged", m.Body, m.Delivery, unhandled.ID)
	}
	time.Sleep(3 * time.Second) // both instances pass over the schedule several times more
	if n := len(hook.Messages()); n != 1 {
		t.Fatalf("the webhook accepted %d messages, want exactly 1: %v", n, hook.Messages())
	}
}

// TestAnAlertWithNoScreenEscalatesAtOnce: a shop whose only screen cannot be heard (audio false)
// is escalated at the end of the grace with reason "no_screen", long before
// ORDERALERT_ESCALATE_AFTER, and only once.
func TestAnAlertWithNoScreenEscalatesAtOnce(t *testing.T) {
	t.Parallel()
	onEveryDatabase(t, func(t *testing.T, s *service) {
		hook := botstandin.NewWebhook(t, "webhook-secret-for-tests")
		s.addChannel(t, channel.Webhook, hook.URL, hook.Secret)
		admin := s.adminHeader(t)
		muted := s.armedScreen(t, admin, "muted", false)
		waitAttached(t, s, []*dashboard{muted})
		if err := s.payNewOrder(t, s.userHeader(t, 7)); err != nil {
			t.Fatal(err)
		}
		created := time.Now()
		m := waitMessages(t, hook, 1, 8*time.Second)[0]
		t.Logf("no_screen arrived %s after the alert", time.Since(created).Round(10*time.Millisecond))
		if m.Reason != application.ReasonNoScreen {
			t.Fatalf("reason %q, want no_screen", m.Reason)
		}
		time.Sleep(2 * time.Second)
		if n := len(hook.Messages()); n != 1 {
			t.Fatalf("the webhook accepted %d messages, want 1", n)
		}
	}, escalateSoon(time.Hour))
}
