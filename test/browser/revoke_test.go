package browser

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// countConnects counts, before the page's own scripts run, the tickets the dashboard asks for
// and the sockets it opens, so that the test can tell whether it tried to reconnect.
const countConnects = `window.__tickets = 0; window.__sockets = 0;
(() => {
  const fetch = window.fetch.bind(window);
  window.fetch = (url, opts) => { if (String(url).includes("/admin/ws/ticket")) window.__tickets++; return fetch(url, opts); };
  const WS = window.WebSocket;
  window.WebSocket = function (...args) { window.__sockets++; return new WS(...args); };
  window.WebSocket.prototype = WS.prototype;
})();`

// TestDashboardLogsOutWhenItsTokenIsRevoked: the dashboard's token is logged out elsewhere (as a
// shop's other screen, or a script, would); the server closes its socket with 4401 and the page
// shows the login form with the reason, forgets the token and does not try to reconnect. Its
// own 退出 button logs the token out on the server, so that it opens nothing afterwards.
func TestDashboardLogsOutWhenItsTokenIsRevoked(t *testing.T) {
	ctx := browser(t)
	srv := newServer(t)
	srv.Start()
	onNewDocument(t, ctx, countConnects)
	logIn(t, ctx, srv)
	token := pageToken(t, ctx)
	tickets, sockets := counters(t, ctx)

	if status := adminCall(t, srv, http.MethodPost, "/admin/employee/logout", token); status != http.StatusOK {
		t.Fatalf("logout = %d", status)
	}
	within(t, ctx, 15*time.Second, "the login form with the reason",
		chromedp.WaitVisible("#login-form"),
		until(`document.getElementById("login-error").textContent.includes("登录已失效")`),
		until(`localStorage.getItem("orderalert.token") === null`))
	time.Sleep(2 * time.Second) // a reconnect would ask for a ticket within the first backoff (≤ 0.5 s)
	if t2, s2 := counters(t, ctx); t2 != tickets || s2 != sockets {
		t.Fatalf("after the 4401 close the page asked for %d tickets and opened %d sockets, want none", t2-tickets, s2-sockets)
	}

	logIn(t, ctx, srv)
	token = pageToken(t, ctx)
	within(t, ctx, 10*time.Second, "退出",
		chromedp.Click("#logout"),
		chromedp.WaitVisible("#login-form"),
		until(`document.getElementById("login-error").textContent === ""`))
	waitFor(t, "the 退出 button's token refused by the server", func() bool {
		return adminCall(t, srv, http.MethodGet, "/admin/alerts", token) == http.StatusUnauthorized
	})
}

func pageToken(t *testing.T, ctx context.Context) string {
	t.Helper()
	token, err := chromedp.Run(ctx, chromedp.Evaluate[string](`localStorage.getItem("orderalert.token")`))
	if err != nil || token == "" {
		t.Fatalf("the page's token: %q, %v", token, err)
	}
	return token
}

func counters(t *testing.T, ctx context.Context) (tickets, sockets int) {
	t.Helper()
	c, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`[window.__tickets, window.__sockets]`))
	if err != nil || len(c) != 2 {
		t.Fatalf("counters: %v, %v", c, err)
	}
	return c[0], c[1]
}

// adminCall makes one admin call with token and returns its status.
func adminCall(t *testing.T, srv *server, method, path, token string) int {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, srv.Base()+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("token", token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	return resp.StatusCode
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("not within 10 s: %s", what)
		}
	}
}
