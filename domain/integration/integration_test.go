package integration_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/orderalert/orderalert/domain/integration"
)

func TestNewDrawsAKeyKeptOnlyAsItsHash(t *testing.T) {
	i, key, err := integration.New("sky-take-out", 1, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if !integration.LooksLikeKey(key) || !strings.HasPrefix(key, "oa_live_") {
		t.Fatalf("key %q does not look like a key", key)
	}
	if i.KeyHash != integration.HashKey(key) || strings.Contains(i.KeyHash, key) || len(i.KeyHash) != 64 {
		t.Fatalf("hash %q of key %q", i.KeyHash, key)
	}
	_, other, _ := integration.New("sky-take-out", 1, time.Now())
	if other == key {
		t.Fatal("two keys are equal")
	}
	if !i.MayPublishTo(1) || i.MayPublishTo(2) || !(integration.Integration{}).MayPublishTo(7) {
		t.Fatal("a key limited to shop 1 must publish to shop 1 only; one without a shop to any")
	}
}

func TestNewRefusesBadNames(t *testing.T) {
	for _, name := range []string{"", "-x", "has space", strings.Repeat("a", 65), "名字", "a/b"} {
		if _, _, err := integration.New(name, 0, time.Now()); !errors.Is(err, integration.ErrInvalid) {
			t.Errorf("New(%q) = %v, want ErrInvalid", name, err)
		}
	}
	if integration.LooksLikeKey("oa_live_short") || integration.LooksLikeKey("eyJhbGciOi.x.y") {
		t.Error("LooksLikeKey accepts what is not a key")
	}
}
