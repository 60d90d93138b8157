package fault

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	fws "github.com/fasthttp/websocket"

	"github.com/orderalert/orderalert/test/botstandin"
	"github.com/orderalert/orderalert/test/proc"
)

// TestAnEscalationSurvivesAKill9BeforeItIsDue: two instances on one PostgreSQL database, a shop
// screen that can be heard on B; an alert is created on A, and A is killed with SIGKILL at once,
// long before the alert is due. The schedule is in the database, not in A's memory: B escalates
// the alert to the webhook at ORDERALERT_ESCALATE_AFTER, exactly once, and A, started again,
// sends nothing more.
func TestAnEscalationSurvivesAKill9BeforeItIsDue(t *testing.T) {
	ctx := bounded(t)
	db := postgresDatabase(t)
	settings := []string{"ORDERALERT_ESCALATE_AFTER=4s", "ORDERALERT_NO_SCREEN_GRACE=1s"}
	a, b := newInstance(t, db), newInstance(t, db)
	a.Env, b.Env = append(a.Env, settings...), append(b.Env, settings...)
	a.Start()
	b.Start()
	hook := botstandin.NewWebhook(t, "fault-webhook-secret")
	a.Run(ctx, "channel", "add", "--shop", "1", "--kind", "webhook", "--url", hook.URL, "--secret", hook.Secret)
	tok := mintTokens(t, ctx, b)
	screen := armedScreen(t, b, tok.admin)
	defer screen.Close()
	time.Sleep(1500 * time.Millisecond) // B writes the screen's state

	orderID := payOrder(t, a, tok.user)
	a.Kill()
	created := time.Now()
	t.Logf("order %d paid on A, A killed with SIGKILL at once", orderID)

	deadline := time.Now().Add(15 * time.Second)
	for len(hook.Messages()) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("no escalation within 15 s; refused: %v\noutput of B:\n%s", hook.Refused(), b.Log)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("B escalated %s after the alert", time.Since(created).Round(10*time.Millisecond))
	a.Start()
	time.Sleep(4 * time.Second) // both instances pass over the schedule, A right after its start
	got := hook.Messages()
	if len(got) != 1 || got[0].Reason != "unacknowledged" {
		t.Fatalf("the webhook accepted %d messages (%v), want exactly one, unacknowledged", len(got), got)
	}
	var body struct {
		Alert struct{ OrderID int64 } `json:"alert"`
	}
	if err := json.Unmarshal(got[0].Body, &body); err != nil || body.Alert.OrderID != orderID {
		t.Fatalf("escalation %s, want order %d's alert: %v", got[0].Body, orderID, err)
	}
}

// armedScreen opens an ?events=1 socket on s and reports that it can be heard.
func armedScreen(t *testing.T, s *proc.Server, adminToken string) *fws.Conn {
	t.Helper()
	dialer := fws.Dialer{HandshakeTimeout: 5 * time.Second}
	conn, resp, err := dialer.Dial("ws"+strings.TrimPrefix(s.Base(), "http")+"/ws/counter?events=1", http.Header{"Token": {adminToken}})
	if resp != nil {
		_ = resp.Body.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := conn.WriteMessage(fws.TextMessage, []byte(`{"type":"state","audio":true,"visible":true}`)); err != nil {
		t.Fatal(err)
	}
	go func() { // read (pings, heartbeats, frames) so that the socket stays healthy
		for {
			if _, _, err := conn.ReadMessage(); err != nil {
				return
			}
		}
	}()
	return conn
}

// payOrder submits and pays one order on s and returns its id.
func payOrder(t *testing.T, s *proc.Server, userToken string) int64 {
	t.Helper()
	call := func(method, path, body string) json.RawMessage {
		req, _ := http.NewRequest(method, s.Base()+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("authentication", userToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = resp.Body.Close() }()
		raw, _ := io.ReadAll(resp.Body)
		var env struct {
			Code int
			Data json.RawMessage
		}
		if json.Unmarshal(raw, &env) != nil || env.Code != 1 {
			t.Fatalf("%s %s = %d %s", method, path, resp.StatusCode, raw)
		}
		return env.Data
	}
	var o struct {
		ID          int64  `json:"id"`
		OrderNumber string `json:"orderNumber"`
	}
	_ = json.Unmarshal(call(http.MethodPost, "/user/order/submit", `{"amount":12.5}`), &o)
	call(http.MethodPut, "/user/order/payment", fmt.Sprintf(`{"orderNumber":%q,"payMethod":1}`, o.OrderNumber))
	return o.ID
}
