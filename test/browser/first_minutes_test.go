package browser

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// TestDashboardLoadsWithoutAMissingFile: loading the dashboard and logging in fetches nothing
// that the server answers with an error — the favicon included, which browsers ask for by
// themselves (and the server logged as a 404 on every load).
func TestDashboardLoadsWithoutAMissingFile(t *testing.T) {
	ctx := browser(t)
	srv := newServer(t)
	srv.Start()
	var mu sync.Mutex
	var failed []string
	icon := make(chan string, 8)
	if err := chromedp.Listen(ctx, func(ev any) {
		if r, ok := ev.(*network.EventResponseReceived); ok {
			if r.Response.Status >= 400 {
				mu.Lock()
				failed = append(failed, fmt.Sprintf("%d %s", r.Response.Status, r.Response.URL))
				mu.Unlock()
			}
			if strings.Contains(r.Response.URL, "favicon") {
				select {
				case icon <- fmt.Sprintf("%d %s", r.Response.Status, r.Response.URL):
				default:
				}
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	logIn(t, ctx, srv)
	select {
	case got := <-icon:
		t.Logf("icon: %s", got)
	case <-time.After(10 * time.Second):
		t.Error("the browser fetched no icon within 10 s of the login")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(failed) > 0 {
		t.Errorf("the page load fetched what the server does not have:\n%s", strings.Join(failed, "\n"))
	}
}

// box is an element's place on the screen.
type box struct{ Left, Top, Right, Bottom float64 }

func (a box) overlaps(b box) bool {
	return a.Left < b.Right && b.Left < a.Right && a.Top < b.Bottom && b.Top < a.Bottom
}

// TestPopupsLeaveTheListsTimesVisible: with a column of popups open, every time in the alert
// list is on the screen and under none of them, at the test's window size (1280×860).
func TestPopupsLeaveTheListsTimesVisible(t *testing.T) {
	ctx := browser(t)
	srv := newServer(t)
	srv.Start()
	user := srv.userToken(7)
	logIn(t, ctx, srv)
	const orders = 5 // enough popups to reach the top of the list
	for range orders {
		raw := srv.call(ctx, srv.Base(), "POST", "/user/order/submit", user, `{"amount": 20}`)
		srv.call(ctx, srv.Base(), "PUT", "/user/order/payment", user, fmt.Sprintf(`{"orderNumber":%q,"payMethod":1}`, number.FindStringSubmatch(raw)[1]))
	}
	within(t, ctx, 20*time.Second, "the popups",
		until(fmt.Sprintf(`document.querySelectorAll("#popups .popup").length === %d && document.querySelectorAll("#alerts time").length === %d`, orders, orders)))

	const rects = `(sel) => [...document.querySelectorAll(sel)].map(e => { const r = e.getBoundingClientRect(); return {Left: r.left, Top: r.top, Right: r.right, Bottom: r.bottom}; })`
	times, err := chromedp.Run(ctx, chromedp.Evaluate[[]box](`(`+rects+`)("#alerts time")`))
	if err != nil {
		t.Fatal(err)
	}
	popups, err := chromedp.Run(ctx, chromedp.Evaluate[[]box](`(`+rects+`)("#popups, #popups .popup")`))
	if err != nil {
		t.Fatal(err)
	}
	width, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`window.innerWidth`))
	if err != nil {
		t.Fatal(err)
	}
	for i, tm := range times {
		if tm.Right <= tm.Left || tm.Left < 0 || tm.Right > width {
			t.Errorf("time %d is not on the screen: %+v (width %.0f)", i, tm, width)
		}
		for _, p := range popups {
			if tm.overlaps(p) {
				t.Errorf("time %d %+v is under a popup %+v", i, tm, p)
			}
		}
	}
}

// alwaysLate makes every random draw of the page its largest, so that each reconnect delay is
// the most the backoff allows.
const alwaysLate = `Math.random = () => 0.999999;`

// TestDashboardReconnectsPromptlyAfterALongOutage: the server is down long enough for the
// page's backoff to grow to its cap, then comes back; the page is connected again within 6 s
// (twice the cap of 3 s), even drawing the longest delays. It used to wait up to 20 s.
func TestDashboardReconnectsPromptlyAfterALongOutage(t *testing.T) {
	ctx := browser(t)
	onNewDocument(t, ctx, alwaysLate)
	srv := newServer(t)
	srv.Start()
	logIn(t, ctx, srv)

	attempts := make(chan struct{}, 100)
	if err := chromedp.Listen(ctx, func(ev any) {
		if r, ok := ev.(*network.EventRequestWillBeSent); ok && strings.HasSuffix(r.Request.URL, "/admin/ws/ticket") {
			select {
			case attempts <- struct{}{}:
			default:
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	srv.Kill()
	const failedAttempts = 5 // the backoff has reached its cap (and the old one 16 s)
	for i := range failedAttempts {
		select {
		case <-attempts:
		case <-time.After(40 * time.Second):
			t.Fatalf("the page made %d attempts to reconnect in 40 s, want %d", i, failedAttempts)
		}
	}
	srv.Start()
	back := time.Now()
	within(t, ctx, 40*time.Second, "the reconnect", until(`document.getElementById("connection").dataset.state === "open"`))
	took := time.Since(back)
	t.Logf("connected again %s after the server was back", took.Round(time.Millisecond))
	if took > 6*time.Second {
		t.Errorf("the page reconnected %s after the server was back, want within 6 s", took.Round(time.Millisecond))
	}
}
