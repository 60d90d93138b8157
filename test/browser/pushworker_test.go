package browser

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/serviceworker"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// watchRegistrations reports the ids of the live service-worker registrations of origin. It
// must run before the page registers its worker.
func watchRegistrations(t *testing.T, ctx context.Context, origin string) <-chan serviceworker.RegistrationID {
	t.Helper()
	regs := make(chan serviceworker.RegistrationID, 16)
	err := chromedp.Listen(ctx, func(ev any) { // never call chromedp from in here: it deadlocks
		if e, ok := ev.(*serviceworker.EventWorkerRegistrationUpdated); ok {
			for _, r := range e.Registrations {
				if r.ScopeURL == origin+"/" && !r.IsDeleted {
					select {
					case regs <- r.RegistrationID:
					default:
					}
				}
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, serviceworker.Enable, cdp.Empty{}); err != nil {
		t.Fatalf("ServiceWorker.enable: %v", err)
	}
	return regs
}

// dashboardWorker is the dashboard's service worker as the test drives it: a push goes in,
// and the test waits, inside the worker, until its notification is shown.
//
// Why wait inside: registration.getNotifications() asks the platform which notifications are
// on screen and deletes from its store each one that is not, unless created after the read
// began. A read that overlaps a showNotification — stored, not yet displayed — deletes that
// notification for good; on a fresh profile the first one is the slowest to display, so it was
// the one seen lost, but any can be. So nothing here reads while a push is being shown.
type dashboardWorker struct {
	page, worker context.Context
	origin       string
	reg          serviceworker.RegistrationID
	pushed       int
}

// countShown wraps showNotification in the worker so that the test can see each call settle.
// DevTools stays attached, which keeps the worker (and the wrapper) alive.
const countShown = `self.__shown = 0; self.__showFailed = [];
(() => {
  const show = ServiceWorkerRegistration.prototype.showNotification;
  ServiceWorkerRegistration.prototype.showNotification = function (...args) {
    return show.apply(this, args).then(
      (v) => { self.__shown++; return v; },
      (e) => { self.__showFailed.push(String(e)); throw e; });
  };
})(); true`

// activeWorker waits for the page's worker to control it and attaches to the worker.
func activeWorker(t *testing.T, ctx context.Context, origin string, regs <-chan serviceworker.RegistrationID) *dashboardWorker {
	t.Helper()
	within(t, ctx, 15*time.Second, "the dashboard's service worker controls the page",
		until(fmt.Sprintf(`navigator.serviceWorker.controller !== null && navigator.serviceWorker.controller.scriptURL === %q`, origin+"/sw.js")))
	w := &dashboardWorker{page: ctx, origin: origin}
	select {
	case w.reg = <-regs:
	case <-time.After(5 * time.Second):
		t.Fatal("no service-worker registration reported for " + origin)
	}
	var id target.ID
	waitFor(t, "the worker's target", func() bool {
		infos, err := chromedp.Targets(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, info := range infos {
			if info.Type == "service_worker" && info.URL == origin+"/sw.js" {
				id = info.TargetID
			}
		}
		return id != ""
	})
	worker, cancel := chromedp.NewContext(ctx, chromedp.WithTargetID(id), chromedp.WithDetachOnCancel())
	t.Cleanup(cancel)
	// Attached with no deadline first: the first call binds the session to its context.
	if err := chromedp.Do(worker); err != nil {
		t.Fatalf("attach to the worker: %v", err)
	}
	w.worker = worker
	if !evaluate[bool](t, worker, countShown) {
		t.Fatal("could not wrap the worker's showNotification")
	}
	return w
}

// push runs the worker's push handler with data as the push's plaintext payload, and waits
// until the worker has shown its notification.
func (w *dashboardWorker) push(t *testing.T, data string) {
	t.Helper()
	_, err := chromedp.Call(w.page, serviceworker.DeliverPushMessage, serviceworker.DeliverPushMessageParams{Origin: w.origin, RegistrationID: w.reg, Data: data})
	if err != nil {
		t.Fatalf("deliver %s: %v", data, err)
	}
	w.pushed++
	var failed []string
	waitFor(t, "the worker shows the push "+data, func() bool {
		failed = evaluate[[]string](t, w.worker, `self.__showFailed`)
		return len(failed) > 0 || evaluate[int](t, w.worker, `self.__shown`) >= w.pushed
	})
	if len(failed) > 0 {
		t.Fatalf("the worker failed to show a notification: %v", failed)
	}
}

// shown is a notification the worker shows, as registration.getNotifications() reads it.
type shown struct {
	Title, Body, Tag, Lang, Icon string
	RequireInteraction, Renotify bool
	Data                         struct {
		ID  int64
		URL string
	}
}

func notifications(t *testing.T, ctx context.Context) []shown {
	t.Helper()
	return evaluateAwait[[]shown](t, ctx, `navigator.serviceWorker.ready.then(r => r.getNotifications()).then(ns => ns.map(n => ({
		title: n.title, body: n.body, tag: n.tag, lang: n.lang, icon: n.icon,
		requireInteraction: n.requireInteraction, renotify: n.renotify, data: n.data ?? {}})))`)
}

// notificationsUntil waits until the notifications shown satisfy ok and returns them. It is
// safe to poll only while no push is being shown (dashboardWorker.push waits for that).
func notificationsUntil(t *testing.T, ctx context.Context, what string, ok func([]shown) bool) []shown {
	t.Helper()
	var got []shown
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if got = notifications(t, ctx); ok(got) {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("not within 10 s: %s; the notifications are %+v", what, got)
		}
	}
}

func byTag(ns []shown, tag string) (shown, int) {
	var found shown
	n := 0
	for _, s := range ns {
		if s.Tag == tag {
			found, n = s, n+1
		}
	}
	return found, n
}

// evaluateAwait is evaluate for an expression whose value is a promise.
func evaluateAwait[T any](t *testing.T, ctx context.Context, expression string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expression, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: %v", strings.TrimSpace(expression), err)
	}
	return v
}
