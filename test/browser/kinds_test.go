package browser

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// keepSockets records, before the page's own scripts run, the URL of every WebSocket the page
// opens and keeps the sockets, so that a test can read how the page connected and hand the live
// socket a frame the server does not send yet.
const keepSockets = `window.__socketURLs = []; window.__socketObjs = [];
(() => {
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(url, ...rest) { super(url, ...rest); window.__socketURLs.push(String(url)); window.__socketObjs.push(this); }
  };
  window.__inject = (data) => window.__socketObjs[window.__socketObjs.length - 1].dispatchEvent(new MessageEvent("message", { data }));
})();`

// TestDashboardShowsAndSpeaksEveryKind: kinds of alert are data. A kind created with `orderalert
// kind create` — before the page loads or while it is open — pops up under its name and is
// spoken with its template filled in; a code without a kind still rings, in plain words; the
// dashboard asks for every kind (?events=1) and skips the frames it does not know. Nothing in
// the dashboard names a kind.
func TestDashboardShowsAndSpeaksEveryKind(t *testing.T) {
	ctx := browser(t)
	onNewDocument(t, ctx, keepSockets)
	srv := newServer(t)
	srv.Start()
	srv.createKind(ctx, 10, "客房服务", "客房服务，房间{orderNumber}：{content}")

	logIn(t, ctx, srv)
	turnSoundOn(t, ctx)
	urls := evaluate[[]string](t, ctx, `window.__socketURLs`)
	if len(urls) != 1 || !strings.Contains(urls[0], "events=1") || !strings.Contains(urls[0], "heartbeat=1") {
		t.Fatalf("the dashboard opened %q, want one socket with events=1 and heartbeat=1", urls)
	}

	// Frames that are no alert — an event (issue 13's acks), a heartbeat, a client's message
	// type, no JSON at all — ring nothing.
	for _, frame := range []string{`{"event":"ack","alertId":1,"by":{"id":1,"name":"admin"},"sid":null,"at":"2026-12-03T10:00:00.000Z"}`,
		`{"type":0}`, `{"type":"state","audio":true}`, `not json`, `null`, `[1,2]`, `{"id":5}`} {
		evaluate[bool](t, ctx, fmt.Sprintf(`window.__inject(%q)`, frame))
	}
	time.Sleep(300 * time.Millisecond)
	if n := evaluate[int](t, ctx, `document.querySelectorAll("#popups .popup").length`); n != 0 {
		t.Fatalf("frames that are no alert made %d popups: %s", n, popupsText(t, ctx))
	}

	srv.publishOverHTTP(ctx, published{Type: 10, Shop: 1, OrderNumber: "1203", Content: "加两条毛巾"})
	within(t, ctx, 10*time.Second, "the 客房服务 popup", until(`document.querySelectorAll('#popups .popup[data-type="10"]').length === 1`))
	if got, want := popupsText(t, ctx), "客房服务|加两条毛巾"; got != want {
		t.Fatalf("popups %q, want %q", got, want)
	}
	if got := evaluate[string](t, ctx, `document.querySelector("#alerts li .kind").textContent`); got != "客房服务" {
		t.Errorf("the list names the alert %q, want 客房服务", got)
	}
	// A published alert names an order this service does not keep: nothing to open or take.
	if n := evaluate[int](t, ctx, `document.querySelectorAll('#popups .popup[data-type="10"] .open, #popups .popup[data-type="10"] .confirm').length`); n != 0 {
		t.Errorf("the published alert's popup offers %d order buttons, want none", n)
	}

	// A kind created while the page is open, and a code that has no kind at all.
	srv.createKind(ctx, 11, "叫号", "请{orderNumber}号顾客取餐")
	srv.publishOverHTTP(ctx, published{Type: 11, Shop: 1, OrderNumber: "A-7", Content: "取餐"})
	srv.publish(ctx, published{Type: 12, Shop: 1, OrderNumber: "9", Content: "前台有访客"})
	within(t, ctx, 10*time.Second, "the 叫号 popup and the unknown kind's",
		until(`document.querySelectorAll('#popups .popup').length === 3`))
	if got, want := popupsText(t, ctx), "客房服务|加两条毛巾\n叫号|取餐\n提醒|前台有访客"; got != want {
		t.Fatalf("popups:\n%s\nwant:\n%s", got, want)
	}

	// The built-in kind of an own order is spoken from its template too, and keeps its buttons.
	user := srv.userToken(7)
	submitted := srv.call(ctx, srv.Base(), "POST", "/user/order/submit", user, `{"amount": 30}`)
	num := number.FindStringSubmatch(submitted)[1]
	srv.call(ctx, srv.Base(), "PUT", "/user/order/payment", user, fmt.Sprintf(`{"orderNumber":%q,"payMethod":1}`, num))
	within(t, ctx, 10*time.Second, "the new-order popup",
		until(`document.querySelectorAll('#popups .popup[data-type="1"] .confirm').length === 1`))

	spoken := evaluate[[]struct{ Text, Lang string }](t, ctx, `window.__spoken`)
	want := []string{"客房服务，房间1203：加两条毛巾", "请A-7号顾客取餐", "您有新的提醒：前台有访客", "您有新的外卖订单，订单号" + num}
	if len(spoken) != len(want) {
		t.Fatalf("spoken %+v, want %q", spoken, want)
	}
	for i, s := range spoken {
		if s.Text != want[i] || s.Lang != "zh-CN" {
			t.Errorf("spoken[%d] = %+v, want %q in zh-CN", i, s, want[i])
		}
	}
}

// evaluate runs a JavaScript expression on the page and returns its value.
func evaluate[T any](t *testing.T, ctx context.Context, expression string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expression))
	if err != nil {
		t.Fatalf("%s: %v", expression, err)
	}
	return v
}
