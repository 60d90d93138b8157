package component_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/orderalert/orderalert/bootstrap"
	"github.com/orderalert/orderalert/test/pgtest"
	"github.com/orderalert/orderalert/test/pushtest"
)

type pushMessage struct {
	ID        int64  `json:"id"`
	Type      int    `json:"type"`
	ShopID    int64  `json:"shopId"`
	Kind      string `json:"kind"`
	Content   string `json:"content"`
	CreatedAt string `json:"createdAt"`
	Renotify  bool   `json:"renotify"`
}

func (s *service) subscribePush(t *testing.T, admin http.Header, sub pushtest.Subscription) {
	t.Helper()
	r := s.call(t, http.MethodPost, "/admin/push/subscriptions", admin, sub.JSON())
	expect(t, r, http.StatusOK, 1)
}

// TestAlertsArePushedToTheirShopsSubscribedDevices (DESIGN §15): a dashboard's browser
// subscribes with the service's VAPID key; each alert of the employee's shops reaches its push
// service once, VAPID-signed and decryptable only with the subscription's keys, with Urgency
// high, the TTL and the alert as Topic, never another shop's; a subscription the push service
// says is gone is deleted; a logout ends the token's subscriptions; a subscription that is not
// a push service's is refused and changes nothing.
func TestAlertsArePushedToTheirShopsSubscribedDevices(t *testing.T) {
	t.Parallel()
	for name, newURL := range pgtest.Databases() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			url := newURL(t)
			s := start(t, url, func(c *bootstrap.Config) { c.PushAllowPrivate = true })
			svc := pushtest.New(t)
			platform := s.adminHeader(t)
			r := s.call(t, http.MethodGet, "/admin/push/key", platform, nil)
			expect(t, r, http.StatusOK, 1)
			key := decode[struct {
				PublicKey string `json:"publicKey"`
			}](t, r).PublicKey
			if len(key) != 87 {
				t.Fatalf("the VAPID public key %q is not a base64url P-256 point", key)
			}
			svc.ExpectKey(key)

			expect(t, s.call(t, http.MethodPost, "/admin/shops", platform, map[string]string{"name": "二号店"}), http.StatusCreated, 1)
			addShopEmployee(t, url, "cashier", 2)
			cashier := s.login(t, "cashier", "cashier's password")
			onPlatform, onCashier, gone := svc.Subscribe(t), svc.Subscribe(t), svc.Subscribe(t)
			s.subscribePush(t, platform, onPlatform)
			s.subscribePush(t, platform, onPlatform) // a reload re-posts it: still one
			s.subscribePush(t, cashier, onCashier)
			s.subscribePush(t, platform, gone)
			svc.Answer(gone, http.StatusGone)
			if n := s.count(t, "push_subscriptions"); n != 3 {
				t.Fatalf("%d subscriptions kept, want 3", n)
			}

			user := s.userHeader(t, 7)
			inShop1 := s.paidIn(t, user, 1)
			s.paidIn(t, user, 2)
			messages := svc.WaitFor(t, 3, 10*time.Second)
			got := map[string][]pushMessage{}
			for _, m := range messages {
				var p pushMessage
				if err := json.Unmarshal(m.Payload, &p); err != nil {
					t.Fatalf("payload %s: %v", m.Payload, err)
				}
				if m.Urgency != "high" || m.TTL != 120 || m.Topic != "a"+strconv.FormatInt(p.ID, 10) || m.Subject != "mailto:dev@orderalert.invalid" {
					t.Fatalf("push %+v: want Urgency high, TTL 120 (ESCALATE_AFTER), Topic a<id>, the dev subject", m)
				}
				got[m.Subscription] = append(got[m.Subscription], p)
			}
			if len(got[onPlatform.ID()]) != 2 || len(got[onCashier.ID()]) != 1 || got[onCashier.ID()][0].ShopID != 2 {
				t.Fatalf("pushed %+v: want both alerts to platform staff, only shop 2's to its cashier", got)
			}
			for _, p := range got[onPlatform.ID()] {
				if p.ShopID == 1 && (p.Type != 1 || p.Kind != "来单提醒" || !strings.HasPrefix(p.Content, "订单号:") || p.Renotify || p.CreatedAt == "") {
					t.Fatalf("order %d's push = %+v", inShop1, p)
				}
			}
			deadline := time.Now().Add(10 * time.Second)
			for s.count(t, "push_subscriptions") != 2 {
				if time.Now().After(deadline) {
					t.Fatal("the subscription its push service called gone (410) was not deleted")
				}
				time.Sleep(50 * time.Millisecond)
			}

			expect(t, s.call(t, http.MethodPost, "/admin/employee/logout", cashier, nil), http.StatusOK, 1)
			if n := s.count(t, "push_subscriptions"); n != 1 {
				t.Fatalf("%d subscriptions after the cashier's logout, want the platform's one", n)
			}
			for _, bad := range []string{`{"endpoint":"https://10.0.0.1/x","keys":{"p256dh":"x","auth":"y"}}`, `{"endpoint":""}`, `[]`} {
				r := s.call(t, http.MethodPost, "/admin/push/subscriptions", s.adminHeader(t), bad)
				if expect(t, r, http.StatusBadRequest, 0); !chinese(r.msg()) {
					t.Errorf("subscribing %s: msg %q", bad, r.msg())
				}
			}
			if n := s.count(t, "push_subscriptions"); n != 1 {
				t.Fatalf("%d subscriptions after refused ones, want 1", n)
			}
			expect(t, s.call(t, http.MethodDelete, "/admin/push/subscriptions", platform, map[string]string{"endpoint": onPlatform.Endpoint}), http.StatusOK, 1)
			if n := s.count(t, "push_subscriptions"); n != 0 {
				t.Fatalf("%d subscriptions after the last was deleted", n)
			}
			if refused := svc.Refusals(); len(refused) != 0 {
				t.Fatalf("the push service refused %q", refused)
			}
		})
	}
}

// TestAnEscalationPushesItsAlertAgain: an alert nobody acknowledges within
// ORDERALERT_ESCALATE_AFTER is pushed again, renotifying, so that a phone in a pocket rings a
// second time; an acknowledged one is not.
func TestAnEscalationPushesItsAlertAgain(t *testing.T) {
	t.Parallel()
	s := start(t, t.TempDir()+"/orderalert.db", func(c *bootstrap.Config) {
		c.PushAllowPrivate, c.EscalateAfter, c.NoScreenGrace = true, 2*time.Second, time.Hour
	})
	svc := pushtest.New(t)
	admin := s.adminHeader(t)
	r := s.call(t, http.MethodGet, "/admin/push/key", admin, nil)
	expect(t, r, http.StatusOK, 1)
	svc.ExpectKey(decode[struct {
		PublicKey string `json:"publicKey"`
	}](t, r).PublicKey)
	sub := svc.Subscribe(t)
	s.subscribePush(t, admin, sub)

	user := s.userHeader(t, 7)
	s.paidIn(t, user, 1)
	handled := s.paidIn(t, user, 1)
	first := svc.WaitFor(t, 2, 10*time.Second)
	var acked int64
	for _, m := range first {
		var p pushMessage
		if err := json.Unmarshal(m.Payload, &p); err != nil {
			t.Fatal(err)
		}
		if p.Renotify {
			t.Fatalf("a first push renotifies: %+v", p)
		}
		for _, a := range s.alerts(t, admin) {
			if a.ID == p.ID && a.OrderID == handled {
				acked = a.ID
			}
		}
	}
	expect(t, s.ack(t, admin, acked, nil), http.StatusOK, 1)
	again := svc.WaitFor(t, 3, 15*time.Second)
	var p pushMessage
	if err := json.Unmarshal(again[2].Payload, &p); err != nil || !p.Renotify || p.ID == acked {
		t.Fatalf("the escalation's push = %s, %v; want the unacknowledged alert again, renotifying", again[2].Payload, err)
	}
	time.Sleep(2 * time.Second)
	if n := len(svc.Messages()); n != 3 {
		t.Fatalf("%d pushes, want 3: the acknowledged alert is not pushed again", n)
	}
}
