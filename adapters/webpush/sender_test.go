package webpush_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/orderalert/orderalert/adapters/webpush"
	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/push"
	"github.com/orderalert/orderalert/test/pushtest"
)

func newSender(t *testing.T, allowPrivate bool) (*webpush.Sender, *pushtest.Service) {
	t.Helper()
	pub, priv, err := webpush.GenerateKeys()
	if err != nil {
		t.Fatal(err)
	}
	svc := pushtest.New(t)
	svc.ExpectKey(pub)
	return webpush.NewSender(webpush.Keys{Public: pub, Private: priv, Subject: "mailto:ops@shop.example"}, allowPrivate), svc
}

func delivery(sub pushtest.Subscription, payload string) application.PushDelivery {
	return application.PushDelivery{
		ID: 1, AlertID: 42, Payload: []byte(payload), Attempts: 1,
		Subscription: push.Subscription{ID: 7, Endpoint: sub.Endpoint, P256dh: sub.Keys.P256dh, Auth: sub.Keys.Auth},
	}
}

// TestAPushReachesTheBrowserAsItsPushServiceChecksIt: VAPID with the configured subject (once
// mailto:), the payload decrypted byte for byte with the subscription's keys, Urgency high, the
// TTL and the alert as Topic.
func TestAPushReachesTheBrowserAsItsPushServiceChecksIt(t *testing.T) {
	t.Parallel()
	s, svc := newSender(t, true)
	sub := svc.Subscribe(t)
	payload := `{"id":42,"type":1,"shopId":1,"kind":"来单提醒","content":"订单号:1795769534571063"}`
	if a := s.Send(t.Context(), delivery(sub, payload), 2*time.Minute); a.Outcome != application.PushSent {
		t.Fatalf("Send = %+v (refused: %q)", a, svc.Refusals())
	}
	m := svc.Messages()
	if len(m) != 1 || string(m[0].Payload) != payload || m[0].Urgency != "high" || m[0].TTL != 120 || m[0].Topic != "a42" || m[0].Subject != "mailto:ops@shop.example" {
		t.Fatalf("the push service received %+v", m)
	}
}

// TestThePushServicesAnswersAreMapped: gone, again later (with its Retry-After), or refused for
// good; none of them says the endpoint's secret path.
func TestThePushServicesAnswersAreMapped(t *testing.T) {
	t.Parallel()
	for status, want := range map[int]application.PushOutcome{
		http.StatusGone: application.PushGone, http.StatusNotFound: application.PushGone,
		http.StatusTooManyRequests: application.PushRetry, http.StatusServiceUnavailable: application.PushRetry,
		http.StatusRequestEntityTooLarge: application.PushFailed, http.StatusForbidden: application.PushFailed,
	} {
		s, svc := newSender(t, true)
		sub := svc.Subscribe(t)
		svc.Answer(sub, status)
		a := s.Send(t.Context(), delivery(sub, `{}`), time.Minute)
		if a.Outcome != want {
			t.Errorf("%d: %+v, want %s", status, a, application.PushOutcomeName(want))
		}
		if a.Err == nil || strings.Contains(a.Err.Error(), "/push/") {
			t.Errorf("%d: the reason %v names the endpoint's path", status, a.Err)
		}
	}
}

// TestAPushNeverReachesAPrivateAddress: outside tests the dialer refuses what an endpoint's
// name resolves to when it is not public, whatever the subscription said.
func TestAPushNeverReachesAPrivateAddress(t *testing.T) {
	t.Parallel()
	s, svc := newSender(t, false)
	sub := svc.Subscribe(t)
	a := s.Send(t.Context(), delivery(sub, `{}`), time.Minute)
	if a.Outcome == application.PushSent || len(svc.Messages()) != 0 || !strings.Contains(a.Err.Error(), "not a public address") {
		t.Fatalf("a push to %s = %+v", sub.Endpoint, a)
	}
	if strings.Contains(a.Err.Error(), sub.ID()) {
		t.Fatalf("the reason %v names the endpoint's path", a.Err)
	}
}
