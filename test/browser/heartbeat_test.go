package browser

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// watchSockets counts, before the page's own scripts run, the WebSockets the page opens and
// the heartbeats they receive, and records every connection state the page shows, so that a
// reconnect between two looks of the test cannot go unseen.
const watchSockets = `window.__sockets = 0; window.__beats = 0; window.__shown = [];
(() => {
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      window.__sockets++;
      this.addEventListener("message", (e) => { if (e.data === '{"type":0}') window.__beats++; });
    }
  };
  document.addEventListener("DOMContentLoaded", () => {
    const el = document.getElementById("connection");
    new MutationObserver(() => window.__shown.push(el.dataset.state + "|" + el.textContent))
      .observe(el, { attributes: true, childList: true, characterData: true, subtree: true });
  });
})();`

// TestDashboardStaysConnectedAcrossPings: the bundled dashboard (which always asks for
// heartbeats) stays on one socket across many ping intervals — it never shows 重新连接中…,
// never opens a second socket, and the server closes nothing — and still rings, with a popup
// and speech, for an order paid afterwards.
func TestDashboardStaysConnectedAcrossPings(t *testing.T) {
	ctx := browser(t)
	onNewDocument(t, ctx, watchSockets)
	srv := newServer(t, "ORDERALERT_WS_PING_INTERVAL=1s")
	srv.Start()
	user := srv.userToken(7)

	logIn(t, ctx, srv)
	turnSoundOn(t, ctx)
	// Six heartbeats are six ping intervals; the server used to close the socket after two.
	within(t, ctx, 30*time.Second, "six heartbeats", until(`window.__beats >= 6`))
	stayedOnOneSocket(t, ctx, srv)

	submitted := srv.call(ctx, srv.Base(), "POST", "/user/order/submit", user, `{"amount": 21}`)
	num := number.FindStringSubmatch(submitted)[1]
	srv.call(ctx, srv.Base(), "PUT", "/user/order/payment", user, fmt.Sprintf(`{"orderNumber":%q,"payMethod":1}`, num))
	within(t, ctx, 10*time.Second, "the new-order popup",
		until(`document.querySelectorAll('#popups .popup[data-type="1"]').length === 1`))
	if got, want := popupsText(t, ctx), "来单提醒|订单号:"+num; got != want {
		t.Fatalf("popups %q, want %q", got, want)
	}
	spoken, err := chromedp.Run(ctx, chromedp.Evaluate[[]struct{ Text, Lang string }](`window.__spoken`))
	if err != nil {
		t.Fatal(err)
	}
	if want := "您有新的外卖订单，订单号" + num; len(spoken) != 1 || spoken[0].Text != want || spoken[0].Lang != "zh-CN" {
		t.Fatalf("spoken %+v, want %q in zh-CN", spoken, want)
	}
	stayedOnOneSocket(t, ctx, srv)
}

// stayedOnOneSocket fails unless the page has opened exactly one socket, has never shown a
// state but connecting and open, and the server has closed no socket.
func stayedOnOneSocket(t *testing.T, ctx context.Context, srv *server) {
	t.Helper()
	type seen struct {
		Sockets int
		Shown   []string
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[seen](`({sockets: window.__sockets, shown: window.__shown})`))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range got.Shown {
		if !strings.HasPrefix(s, "connecting|") && !strings.HasPrefix(s, "open|") {
			t.Errorf("the page showed %q; all it showed: %q", s, got.Shown)
			break
		}
	}
	if got.Sockets != 1 {
		t.Errorf("the page opened %d sockets, want 1", got.Sockets)
	}
	if closes := srv.metricLines(ctx, "orderalert_ws_closes_total{"); len(closes) > 0 {
		t.Errorf("the server closed sockets: %q", closes)
	}
}

// metricLines returns the lines of the server's /metrics that start with prefix.
func (s *server) metricLines(ctx context.Context, prefix string) []string {
	s.t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.Base()+"/metrics", nil)
	if err != nil {
		s.t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		s.t.Fatalf("GET /metrics: %d %v", resp.StatusCode, err)
	}
	var lines []string
	for line := range strings.Lines(string(raw)) {
		if strings.HasPrefix(line, prefix) {
			lines = append(lines, strings.TrimSpace(line))
		}
	}
	return lines
}
