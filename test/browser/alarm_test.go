package browser

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/orderalert/orderalert/test/pgtest"
)

// recordTones counts the oscillators the page starts: each chime starts two or three, so a
// growing count is a chime the speakers played.
const recordTones = `window.__tones = 0; window.__sent = [];
(() => {
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (...args) { window.__tones++; return start.apply(this, args); };
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) { window.__sent.push(String(data)); return send.call(this, data); };
})();`

// alarmScreen is one dashboard in a browser of its own (its own Chromium process and profile,
// as on another computer at the counter), logged in to one instance and armed.
func alarmScreen(t *testing.T, srv *server) context.Context {
	t.Helper()
	ctx := browser(t)
	onNewDocument(t, ctx, recordTones)
	logIn(t, ctx, srv)
	turnSoundOn(t, ctx)
	evaluate[int](t, ctx, `window.__tones = 0`)
	return ctx
}

// TestAnAlertRingsUntilAScreenOnAnotherInstanceHandlesIt is the counter with two screens, each on
// another instance of one PostgreSQL database: a paid order pops up and rings on both; nobody
// handles it, so both ring again at the interval; 知道了 on one screen closes the popup on the
// other, which then shows who handled it and when, and stops ringing.
func TestAnAlertRingsUntilAScreenOnAnotherInstanceHandlesIt(t *testing.T) {
	database := pgtest.NewDatabase(t)
	settings := []string{"ORDERALERT_DATABASE_URL=" + database, "ORDERALERT_RERING_INTERVAL=3s"}
	a, b := newServer(t, settings...), newServer(t, settings...)
	a.Start()
	b.Start()
	front, kitchen := alarmScreen(t, a), alarmScreen(t, b)

	user := a.userToken(7)
	submitted := a.call(front, a.Base(), "POST", "/user/order/submit", user, `{"amount": 36}`)
	num := number.FindStringSubmatch(submitted)[1]
	a.call(front, a.Base(), "PUT", "/user/order/payment", user, fmt.Sprintf(`{"orderNumber":%q,"payMethod":1}`, num))
	said := "您有新的外卖订单，订单号" + num
	for name, ctx := range map[string]context.Context{"front": front, "kitchen": kitchen} {
		within(t, ctx, 10*time.Second, name+": the popup, the chime and the sentence",
			until(`document.querySelectorAll('#popups .popup[data-type="1"]').length === 1`),
			until(`window.__tones >= 2`),
			until(fmt.Sprintf(`window.__spoken.some(s => s.text === %q)`, said)),
			until(`document.title === "(1) 来单提醒 · orderalert" && document.querySelector("#open-count b").textContent === "1"`))
	}

	// Nobody handles it: each screen rings again, chime and speech, at the 3 s interval.
	again := "提醒未处理。" + said
	for name, ctx := range map[string]context.Context{"front": front, "kitchen": kitchen} {
		began := time.Now()
		within(t, ctx, 10*time.Second, name+": the re-ring",
			until(fmt.Sprintf(`window.__spoken.some(s => s.text === %q)`, again)),
			until(`window.__tones >= 4`))
		t.Logf("%s rang again %s after the first ring was seen", name, time.Since(began).Round(10*time.Millisecond))
	}

	screenshotAs(t, kitchen, "alarm-open.png")

	// 知道了 in the front; the kitchen's popup closes.
	began := time.Now()
	within(t, front, 10*time.Second, "front: 知道了",
		chromedp.Click(`#popups .popup[data-type="1"] .dismiss`),
		until(`document.querySelectorAll('#popups .popup').length === 0`))
	within(t, kitchen, 5*time.Second, "kitchen: the popup closes",
		until(`document.querySelectorAll('#popups .popup').length === 0`))
	t.Logf("the kitchen's popup closed %s after the front's click", time.Since(began).Round(time.Millisecond))
	within(t, kitchen, 5*time.Second, "kitchen: who handled it",
		until(`document.querySelector("#alerts li").dataset.acked === "true"`),
		until(`document.title === "来单提醒 · orderalert" && document.getElementById("open-count").hidden`))
	handled := evaluate[string](t, kitchen, `document.querySelector("#alerts li .handled").textContent`)
	if !strings.HasPrefix(handled, "已由 管理员 接单 ") || len(handled) < len("已由 管理员 接单 12:03") {
		t.Fatalf("the kitchen's list says %q, want 已由 管理员 接单 HH:MM", handled)
	}
	screenshotAs(t, kitchen, "alarm-handled.png")

	// Handled: neither screen rings again.
	spokenBefore := map[string]int{}
	for name, ctx := range map[string]context.Context{"front": front, "kitchen": kitchen} {
		spokenBefore[name] = evaluate[int](t, ctx, `window.__spoken.length`)
	}
	time.Sleep(4 * time.Second) // longer than the interval
	for name, ctx := range map[string]context.Context{"front": front, "kitchen": kitchen} {
		if n := evaluate[int](t, ctx, `window.__spoken.length`); n != spokenBefore[name] {
			t.Errorf("%s spoke %d more sentences after the alert was handled", name, n-spokenBefore[name])
		}
	}

	// A reload has no click: the screen asks to be armed and tells the server it cannot be
	// heard; arming it plays the sound test and tells the server it can.
	within(t, kitchen, 20*time.Second, "kitchen: reload, unarmed",
		chromedp.Reload(),
		until(`document.getElementById("connection").dataset.state === "open"`),
		until(`!document.getElementById("arm").hidden`),
		until(`window.__sent.includes('{"type":"state","audio":false,"visible":true}')`))
	within(t, kitchen, 10*time.Second, "kitchen: armed again",
		chromedp.Click("#arm-button"),
		until(`document.getElementById("arm").hidden`),
		until(fmt.Sprintf(`window.__spoken.some(s => s.text === %q)`, soundTest)),
		until(`window.__sent.includes('{"type":"state","audio":true,"visible":true}')`))
}
