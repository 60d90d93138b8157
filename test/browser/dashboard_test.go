package browser

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/orderalert/orderalert/test/proc"
)

const chromium = "/usr/bin/chromium"

// recordSpeech wraps speechSynthesis.speak before the page's own scripts run, so that the test
// can read every sentence the dashboard asked the browser to say.
const recordSpeech = `window.__spoken = [];
(() => {
  const speak = window.speechSynthesis.speak.bind(window.speechSynthesis);
  window.speechSynthesis.speak = (u) => { window.__spoken.push({text: u.text, lang: u.lang}); try { speak(u); } catch (e) {} };
})();`

// browser starts headless Chromium with the flags this workplace's network needs.
func browser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromium); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is missing and CI is set: .ci/run installs Debian's chromium", chromium)
		}
		t.Skipf("no %s; apt-get install chromium to run the browser tests", chromium)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 860),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	onNewDocument(t, ctx, recordSpeech)
	return ctx
}

// logIn opens the dashboard at the server and logs in as the first admin.
func logIn(t *testing.T, ctx context.Context, srv *server) {
	t.Helper()
	within(t, ctx, 30*time.Second, "log in",
		chromedp.Navigate(srv.Base()),
		chromedp.WaitVisible("#login-form"),
		chromedp.SendKeys("#password", adminPassword),
		chromedp.Click("#login-button"),
		chromedp.WaitVisible("#live"),
		until(`document.getElementById("connection").dataset.state === "open"`))
}

// soundTest is what arming a screen speaks, so that staff hear that its speakers work.
const soundTest = "声音测试：来单时这里会响铃并播报"

// turnSoundOn clicks 「启用本屏提醒」, as a shop does once per page: the screen is armed, plays
// its sound test, and the test's sentence is then forgotten, so that what the test reads of
// window.__spoken is the alerts' alone.
func turnSoundOn(t *testing.T, ctx context.Context) {
	t.Helper()
	within(t, ctx, 10*time.Second, "arm the screen and hear the sound test",
		chromedp.Click("#sound"),
		until(`document.getElementById("sound").dataset.state === "on"`),
		until(fmt.Sprintf(`window.__spoken.length > 0 && window.__spoken[window.__spoken.length - 1].text === %q`, soundTest)),
		until(`(window.__spoken = [], true)`))
}

// onNewDocument runs script before the page's own scripts on every load.
func onNewDocument(t *testing.T, ctx context.Context, script string) {
	t.Helper()
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: script})
		return err
	}))
	if err != nil {
		t.Fatalf("a script for every page: %v", err)
	}
}

// within runs steps with a time limit, failing the test with what the page shows.
func within(t *testing.T, ctx context.Context, limit time.Duration, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	stepCtx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	if err := chromedp.Do(stepCtx, steps...); err != nil {
		body, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
		t.Fatalf("%s: %v\npage shows:\n%s", what, err, body)
	}
}

// until waits for a JavaScript condition on the page to become true.
func until(expression string) chromedp.Action[chromedp.Void] {
	poll := chromedp.Poll[bool](expression)
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := poll(ctx, t)
		return chromedp.Void{}, err
	}
}

func popupsText(t *testing.T, ctx context.Context) string {
	t.Helper()
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("#popups .popup")].map(p => p.querySelector(".title").textContent + "|" + p.querySelector(".content").textContent).join("\n")`))
	if err != nil {
		t.Fatal(err)
	}
	return text
}

var number = regexp.MustCompile(`"orderNumber":"(\d+)"`)
var orderID = regexp.MustCompile(`"id":(\d+)`)

// TestDashboardRingsSpeaksAndMissesNothing is the restaurant owner's evening: log in, turn the
// sound on, see and hear a new order and a reminder, take the order; then the server crashes,
// alerts are created meanwhile on another instance, the server comes back — and the dashboard
// shows every missed alert after its automatic reconnect, none twice.
func TestDashboardRingsSpeaksAndMissesNothing(t *testing.T) {
	ctx := browser(t)
	srv := newServer(t)
	srv.Start()
	user := srv.userToken(7)

	logIn(t, ctx, srv)
	turnSoundOn(t, ctx)

	submitted := srv.call(ctx, srv.Base(), "POST", "/user/order/submit", user, `{"amount": 58.8, "remark": "<b>不要香菜</b>"}`)
	num, id := number.FindStringSubmatch(submitted)[1], orderID.FindStringSubmatch(submitted)[1]
	srv.call(ctx, srv.Base(), "PUT", "/user/order/payment", user, fmt.Sprintf(`{"orderNumber":%q,"payMethod":1}`, num))
	within(t, ctx, 10*time.Second, "the new-order popup",
		until(`document.querySelectorAll('#popups .popup[data-type="1"]').length === 1`))
	time.Sleep(1100 * time.Millisecond) // the reminder cooldown of this server is 1 s
	srv.call(ctx, srv.Base(), "GET", "/user/order/reminder/"+id, user, "")
	within(t, ctx, 10*time.Second, "the reminder popup",
		until(`document.querySelectorAll('#popups .popup[data-type="2"]').length === 1`))

	if got, want := popupsText(t, ctx), "来单提醒|订单号:"+num+"\n客户催单|订单号:"+num; got != want {
		t.Fatalf("popups:\n%s\nwant:\n%s", got, want)
	}
	spoken, err := chromedp.Run(ctx, chromedp.Evaluate[[]struct{ Text, Lang string }](`window.__spoken`))
	if err != nil {
		t.Fatal(err)
	}
	wantSpoken := []string{"您有新的外卖订单，订单号" + num, "顾客催单，订单号" + num + "，请尽快处理"}
	if len(spoken) != 2 || spoken[0].Text != wantSpoken[0] || spoken[1].Text != wantSpoken[1] || spoken[0].Lang != "zh-CN" {
		t.Fatalf("spoken %+v, want %q in zh-CN", spoken, wantSpoken)
	}
	screenshot(t, ctx)

	within(t, ctx, 10*time.Second, "open the order, then take it",
		chromedp.Click(`#popups .popup[data-type="1"] .open`),
		until(`!document.querySelector('#popups .popup[data-type="1"] .details').hidden`),
		chromedp.Click(`#popups .popup[data-type="1"] .confirm`),
		until(`document.querySelectorAll('#popups .popup[data-type="1"]').length === 0`),
	)
	if raw := srv.call(ctx, srv.Base(), "GET", "/user/order/orderDetail/"+id, user, ""); !strings.Contains(raw, `"status":3`) {
		t.Fatalf("the order was not taken: %s", raw)
	}

	// The server crashes; alerts are created on another instance while the dashboard cannot
	// reach its own; the server comes back.
	srv.Kill()
	within(t, ctx, 15*time.Second, "the dashboard notices", until(`document.getElementById("connection").dataset.state === "reconnecting"`))
	other := proc.FreeAddr(t)
	srv.StartAt(other)
	var missed []string
	for range 3 {
		raw := srv.call(ctx, "http://"+other, "POST", "/user/order/submit", user, `{"amount": 12}`)
		n := number.FindStringSubmatch(raw)[1]
		srv.call(ctx, "http://"+other, "PUT", "/user/order/payment", user, fmt.Sprintf(`{"orderNumber":%q,"payMethod":1}`, n))
		missed = append(missed, n)
	}
	srv.Kill()
	srv.Start()
	within(t, ctx, 40*time.Second, "the missed alerts after the automatic reconnect",
		until(`document.querySelectorAll('#popups .popup[data-type="1"]').length === 3`),
		until(`document.getElementById("connection").dataset.state === "open"`))
	time.Sleep(500 * time.Millisecond) // anything sent twice would arrive now
	text := popupsText(t, ctx)
	for _, n := range missed {
		if strings.Count(text, "来单提醒|订单号:"+n) != 1 {
			t.Errorf("missed order %s appears %d times in the popups:\n%s", n, strings.Count(text, n), text)
		}
	}
	ids, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#alerts li")].map(li => li.dataset.alertId)`))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			t.Errorf("alert %s listed twice: %v", id, ids)
		}
		seen[id] = true
	}
	if len(ids) != 5 {
		t.Errorf("the list holds %d alerts, want 5 (2 before the crash, 3 missed): %v", len(ids), ids)
	}
	markup, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("popups").innerHTML + document.getElementById("alerts").innerHTML`))
	if strings.Contains(markup, "<b>") {
		t.Error("server-provided text was inserted as HTML")
	}

	// A reload has no user gesture: the page must say that sound is blocked when an alert comes.
	within(t, ctx, 20*time.Second, "reload without a click",
		chromedp.Reload(),
		until(`document.getElementById("connection").dataset.state === "open"`),
		until(`document.getElementById("sound").dataset.state === "off"`))
	srv.call(ctx, srv.Base(), "GET", "/user/order/reminder/"+id, user, "")
	within(t, ctx, 10*time.Second, "the blocked-sound notice",
		until(`document.querySelectorAll('#popups .popup[data-type="2"]').length === 1`),
		until(`!document.getElementById("sound-blocked").hidden`))

	// An expired or revoked token sends the owner back to the login form, with a reason.
	within(t, ctx, 20*time.Second, "back to login",
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := chromedp.Evaluate[chromedp.Void](`localStorage.setItem("orderalert.token", "expired")`)(ctx, tg)
			return err
		}),
		chromedp.Reload(),
		chromedp.WaitVisible("#login-form"),
		until(`document.getElementById("login-error").textContent.includes("登录已过期")`))
}

// screenshot keeps a picture of the dashboard with its popups open: in the test's folder, and
// in ORDERALERT_SCREENSHOT_DIR when set (the README's copy is made that way).
func screenshot(t *testing.T, ctx context.Context) { t.Helper(); screenshotAs(t, ctx, "dashboard.png") }

// screenshotAs is screenshot under another file name.
func screenshotAs(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	dirs := []string{t.TempDir()}
	if d := os.Getenv("ORDERALERT_SCREENSHOT_DIR"); d != "" {
		dirs = append(dirs, d)
	}
	for _, d := range dirs {
		if err := os.WriteFile(filepath.Join(d, name), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("screenshot: %d bytes", len(png))
}
