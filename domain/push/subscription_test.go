package push_test

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/orderalert/orderalert/domain/push"
)

func valid() push.Subscription {
	key := make([]byte, 65)
	key[0] = 4
	return push.Subscription{
		Endpoint: "https://fcm.googleapis.com/fcm/send/abc:def",
		P256dh:   base64.RawURLEncoding.EncodeToString(key),
		Auth:     base64.RawURLEncoding.EncodeToString(make([]byte, 16)),
	}
}

// TestASubscriptionMustBeAPublicHTTPSEndpointWithRFC8291Keys: what the push sender would be
// made to call, or could not encrypt for, is refused before it is kept.
func TestASubscriptionMustBeAPublicHTTPSEndpointWithRFC8291Keys(t *testing.T) {
	t.Parallel()
	if err := valid().Check(false); err != nil {
		t.Fatalf("a push service's subscription: %v", err)
	}
	for name, change := range map[string]func(*push.Subscription){
		"http":             func(s *push.Subscription) { s.Endpoint = "http://push.example/x" },
		"localhost":        func(s *push.Subscription) { s.Endpoint = "https://localhost/x" },
		"loopback":         func(s *push.Subscription) { s.Endpoint = "https://127.0.0.1/x" },
		"private":          func(s *push.Subscription) { s.Endpoint = "https://10.1.2.3/x" },
		"link-local IPv6":  func(s *push.Subscription) { s.Endpoint = "https://[fe80::1]/x" },
		"metadata address": func(s *push.Subscription) { s.Endpoint = "https://169.254.169.254/x" },
		"credentials":      func(s *push.Subscription) { s.Endpoint = "https://u:p@push.example/x" },
		"not a URL":        func(s *push.Subscription) { s.Endpoint = "push" },
		"too long":         func(s *push.Subscription) { s.Endpoint = "https://push.example/" + strings.Repeat("a", 1024) },
		"short key":        func(s *push.Subscription) { s.P256dh = s.P256dh[:40] },
		"no auth":          func(s *push.Subscription) { s.Auth = "" },
	} {
		s := valid()
		change(&s)
		if err := s.Check(false); !errors.Is(err, push.ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
	s := valid()
	s.Endpoint = "http://127.0.0.1:40123/push/sub1"
	if err := s.Check(true); err != nil {
		t.Fatalf("a test's stand-in with private endpoints allowed: %v", err)
	}
}
