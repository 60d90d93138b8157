package botstandin

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// NewWebhook plays a receiver of orderalert's generic webhook that checks everything a careful
// one would: the signature over the raw body before parsing it, a numeric
// X-Orderalert-Delivery to drop repeats by, and the body's shape. Its URL is …/orderalert.
func NewWebhook(t testing.TB, secret string) *Server {
	t.Helper()
	s := start(t, service{
		verify: func(r *http.Request, body []byte, _ time.Time) (Message, *answer) {
			return verifyWebhook(r, body, secret)
		},
		refusal: func(_ int, msg string) answer { return plainRefusal(http.StatusInternalServerError, msg) },
		ok:      answer{status: http.StatusNoContent},
		limited: answer{status: http.StatusTooManyRequests, header: http.Header{"Retry-After": {"60"}}, why: "rate limited"},
	})
	s.URL += "/orderalert"
	s.Secret = secret
	return s
}

func verifyWebhook(r *http.Request, body []byte, secret string) (Message, *answer) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case r.URL.Path != "/orderalert":
		return Message{}, refusal(plainRefusal(http.StatusNotFound, "path "+r.URL.Path))
	case r.Method != http.MethodPost:
		return Message{}, refusal(plainRefusal(http.StatusMethodNotAllowed, "method "+r.Method))
	case mt != "application/json":
		return Message{}, refusal(plainRefusal(http.StatusUnsupportedMediaType, "content type "+mt))
	}
	if id, err := strconv.ParseInt(r.Header.Get("X-Orderalert-Delivery"), 10, 64); err != nil || id <= 0 {
		return Message{}, refusal(plainRefusal(http.StatusBadRequest, "no X-Orderalert-Delivery"))
	}
	if _, err := strconv.ParseInt(r.Header.Get("X-Orderalert-Timestamp"), 10, 64); err != nil {
		return Message{}, refusal(plainRefusal(http.StatusBadRequest, "no X-Orderalert-Timestamp"))
	}
	got, err := hex.DecodeString(strings.TrimPrefix(r.Header.Get("X-Orderalert-Signature"), "sha256="))
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body) // the raw bytes, before any parsing
	if err != nil || !strings.HasPrefix(r.Header.Get("X-Orderalert-Signature"), "sha256=") || !hmac.Equal(got, m.Sum(nil)) {
		return Message{}, refusal(plainRefusal(http.StatusUnauthorized, "signature does not match"))
	}
	var b struct {
		Event  string            `json:"event"`
		Alert  json.RawMessage   `json:"alert"`
		Alerts []json.RawMessage `json:"alerts"`
		Reason string            `json:"reason"`
	}
	if err := json.Unmarshal(body, &b); err != nil {
		return Message{}, refusal(plainRefusal(http.StatusBadRequest, "body: "+err.Error()))
	}
	switch {
	case b.Event != "escalation":
		return Message{}, refusal(plainRefusal(http.StatusBadRequest, "event "+b.Event))
	case b.Reason != "unacknowledged" && b.Reason != "no_screen":
		return Message{}, refusal(plainRefusal(http.StatusBadRequest, "reason "+b.Reason))
	case !isObject(b.Alert):
		return Message{}, refusal(plainRefusal(http.StatusBadRequest, "alert is not an object"))
	case len(b.Alerts) == 0 || !bytes.Equal(b.Alerts[0], b.Alert):
		return Message{}, refusal(plainRefusal(http.StatusBadRequest, "alerts does not start with alert"))
	}
	for _, a := range b.Alerts {
		if !isObject(a) {
			return Message{}, refusal(plainRefusal(http.StatusBadRequest, "an element of alerts is not an object"))
		}
	}
	return Message{Reason: b.Reason, Alert: b.Alert, Alerts: b.Alerts}, nil
}

func isObject(raw json.RawMessage) bool {
	var o map[string]json.RawMessage
	return json.Unmarshal(raw, &o) == nil && o != nil
}

func plainRefusal(status int, why string) answer {
	return answer{status: status, body: []byte(why + "\n"), header: http.Header{"Content-Type": {"text/plain; charset=utf-8"}}, why: why}
}
