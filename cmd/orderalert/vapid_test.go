package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/orderalert/orderalert/bootstrap"
)

// TestVapidPrintsAPairProductionAccepts: what `orderalert vapid` prints, pasted into the
// environment, is a VAPID pair the configuration accepts; two runs give two pairs.
func TestVapidPrintsAPairProductionAccepts(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	var pairs []string
	for range 2 {
		cmd, out := orderalert(ctx, t.TempDir(), nil, "vapid")
		if err := cmd.Run(); err != nil {
			t.Fatalf("orderalert vapid = %v:\n%s", err, out)
		}
		lines := strings.Split(strings.TrimSpace(out.String()), "\n")
		if len(lines) != 2 || !strings.HasPrefix(lines[0], "ORDERALERT_VAPID_PUBLIC_KEY=") || !strings.HasPrefix(lines[1], "ORDERALERT_VAPID_PRIVATE_KEY=") {
			t.Fatalf("orderalert vapid printed:\n%s", out)
		}
		if _, err := bootstrap.LoadConfig("serve", nil, append(lines, "ORDERALERT_VAPID_SUBJECT=mailto:ops@shop.example"), nil, nil); err != nil {
			t.Fatalf("the printed pair is refused: %v", err)
		}
		pairs = append(pairs, lines[1])
	}
	if pairs[0] == pairs[1] {
		t.Fatal("two runs printed the same private key")
	}
}
