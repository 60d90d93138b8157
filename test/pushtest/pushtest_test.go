package pushtest_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/SherClockHolmes/webpush-go"

	"github.com/orderalert/orderalert/test/pushtest"
)

// send pushes payload to sub with webpush-go as the service's sender does.
func send(t *testing.T, sub pushtest.Subscription, payload string, pub, priv, subscriber string) int {
	t.Helper()
	var s webpush.Subscription
	if err := json.Unmarshal([]byte(sub.JSON()), &s); err != nil {
		t.Fatal(err)
	}
	resp, err := webpush.SendNotificationWithContext(t.Context(), []byte(payload), &s, &webpush.Options{
		HTTPClient: &http.Client{Timeout: 5 * time.Second}, Subscriber: subscriber,
		VAPIDPublicKey: pub, VAPIDPrivateKey: priv, TTL: 120, Urgency: webpush.UrgencyHigh, Topic: "a42",
	})
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	return resp.StatusCode
}

// TestTheStandInDecryptsWhatWebpushGoSends: a genuine push is accepted and decrypted byte for
// byte; one signed with another VAPID key, with a doubled mailto: subject, or to a subscription
// whose keys it was not encrypted for, is refused; Answer makes a subscription gone.
func TestTheStandInDecryptsWhatWebpushGoSends(t *testing.T) {
	t.Parallel()
	s := pushtest.New(t)
	priv, pub, err := webpush.GenerateVAPIDKeys()
	if err != nil {
		t.Fatal(err)
	}
	s.ExpectKey(pub)
	sub := s.Subscribe(t)
	payload := `{"id":42,"type":1,"content":"订单号:1795769534571063"}`
	if status := send(t, sub, payload, pub, priv, "ops@example.com"); status != http.StatusCreated {
		t.Fatalf("a genuine push: %d (%q)", status, s.Refusals())
	}
	m := s.Messages()
	if len(m) != 1 || string(m[0].Payload) != payload || m[0].TTL != 120 || m[0].Urgency != "high" || m[0].Topic != "a42" ||
		m[0].Subject != "mailto:ops@example.com" || m[0].Subscription != sub.ID() {
		t.Fatalf("accepted %+v", m)
	}

	otherPriv, otherPub, _ := webpush.GenerateVAPIDKeys()
	if status := send(t, sub, payload, otherPub, otherPriv, "ops@example.com"); status != http.StatusBadRequest {
		t.Fatalf("another VAPID key: %d", status)
	}
	if status := send(t, sub, payload, pub, priv, "mailto:ops@example.com"); status != http.StatusBadRequest {
		t.Fatalf("a doubled mailto: subject: %d", status)
	}
	other := s.Subscribe(t)
	wrongKeys := other
	wrongKeys.Keys = s.Subscribe(t).Keys
	if status := send(t, wrongKeys, payload, pub, priv, "ops@example.com"); status != http.StatusBadRequest {
		t.Fatalf("encrypted for other keys: %d", status)
	}
	if r := s.Refusals(); len(r) != 3 || !strings.Contains(r[2], "does not decrypt") {
		t.Fatalf("refusals %q", r)
	}
	s.Answer(sub, http.StatusGone)
	if status := send(t, sub, payload, pub, priv, "ops@example.com"); status != http.StatusGone {
		t.Fatalf("a gone subscription: %d", status)
	}
	if len(s.Messages()) != 1 {
		t.Fatalf("accepted %d messages, want only the genuine one", len(s.Messages()))
	}
}
