package fault

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/orderalert/orderalert/test/proc"
	"github.com/orderalert/orderalert/test/pushtest"
)

// TestAPushSurvivesAKill9InTheMiddleOfItsSend: an instance is killed with SIGKILL while its
// push of an alert is on the wire, unanswered. The queue is in the database: started again, the
// instance pushes the alert once its lease runs out, and the push service accepts it exactly
// once; nothing is pushed again after that.
func TestAPushSurvivesAKill9InTheMiddleOfItsSend(t *testing.T) {
	ctx := bounded(t)
	svc := pushtest.New(t)
	a := newInstance(t, postgresDatabase(t))
	a.Env = append(a.Env, "ORDERALERT_PUSH_ALLOW_PRIVATE=true")
	a.Start()
	tok := mintTokens(t, ctx, a)
	svc.ExpectKey(adminGet(t, ctx, a, tok.admin, "/admin/push/key", `"publicKey":"`))
	sub := svc.Subscribe(t)
	adminPost(t, ctx, a, tok.admin, "/admin/push/subscriptions", sub.JSON())

	svc.Hold()
	orderID := payOrder(t, a, tok.user)
	for svc.Arrived() == 0 {
		if ctx.Err() != nil {
			t.Fatalf("order %d's push never reached the push service:\n%s", orderID, a.Log)
		}
		time.Sleep(20 * time.Millisecond)
	}
	a.Kill()
	killed := time.Now()
	svc.Release()
	if n := len(svc.Messages()); n != 0 {
		t.Fatalf("the push service accepted %d messages from a sender that was killed before its answer", n)
	}
	a.Start()
	svc.WaitFor(t, 1, 40*time.Second)
	t.Logf("pushed again %s after the kill, once the killed attempt's lease ran out", time.Since(killed).Round(100*time.Millisecond))
	pause(ctx, 3*time.Second)
	if got := svc.Messages(); len(got) != 1 || !strings.Contains(string(got[0].Payload), `"type":1`) {
		t.Fatalf("the push service accepted %d messages, want order %d's new-order push exactly once: %+v", len(got), orderID, got)
	}
}

func adminGet(t *testing.T, ctx context.Context, s *proc.Server, token, path, before string) string {
	t.Helper()
	body := adminCall(t, ctx, s, http.MethodGet, token, path, "")
	_, rest, ok := strings.Cut(body, before)
	value, _, ok2 := strings.Cut(rest, `"`)
	if !ok || !ok2 {
		t.Fatalf("GET %s = %s", path, body)
	}
	return value
}

func adminPost(t *testing.T, ctx context.Context, s *proc.Server, token, path, body string) {
	t.Helper()
	if got := adminCall(t, ctx, s, http.MethodPost, token, path, body); !strings.HasPrefix(got, `{"code":1`) {
		t.Fatalf("POST %s = %s", path, got)
	}
}

func adminCall(t *testing.T, ctx context.Context, s *proc.Server, method, token, path, body string) string {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, method, s.Base()+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("token", token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	raw, _ := io.ReadAll(resp.Body)
	return string(raw)
}
