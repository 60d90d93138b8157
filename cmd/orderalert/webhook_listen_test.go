package main

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestWebhookListenChecksTheSignatureAndDropsRepeats: the receiver prints a signed escalation
// once, however often its delivery is retried, and refuses one signed with another secret.
func TestWebhookListenChecksTheSignatureAndDropsRepeats(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	r := &webhookReceiver{secret: []byte("s3cret"), out: &out, seen: map[string]bool{}}
	body := `{"event":"escalation","reason":"no_screen","alert":{"id":7},"alerts":[{"id":7,"shopId":1,"content":"订单号:42"}]}`
	post := func(secret, delivery string) int {
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write([]byte(body))
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		req.Header.Set("X-Orderalert-Signature", "sha256="+hex.EncodeToString(mac.Sum(nil)))
		req.Header.Set("X-Orderalert-Delivery", delivery)
		w := httptest.NewRecorder()
		r.ServeHTTP(w, req)
		return w.Code
	}
	if code := post("s3cret", "9"); code != http.StatusNoContent {
		t.Fatalf("a signed escalation: %d", code)
	}
	if code := post("s3cret", "9"); code != http.StatusNoContent {
		t.Fatalf("its retry: %d", code)
	}
	if code := post("another", "10"); code != http.StatusUnauthorized {
		t.Fatalf("a wrong signature: %d, want 401", code)
	}
	if got, want := out.String(), "escalation 9 (no_screen): alert 7 of shop 1: 订单号:42\nrefused a request with a wrong signature (is --secret the channel's?)\n"; got != want {
		t.Fatalf("printed:\n%s\nwant:\n%s", got, want)
	}
}
