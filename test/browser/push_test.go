package browser

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/orderalert/orderalert/test/pushtest"
)

// TestServiceWorkerShowsEachAlertAsANotification: with the tab in the background (or closed),
// the dashboard's service worker turns each push into a notification that stays until someone
// looks: 新订单 or 顾客催单 or the kind's own name, the alert's text, one notification per alert
// (a repeated push replaces it), and something readable even for a payload it does not know.
func TestServiceWorkerShowsEachAlertAsANotification(t *testing.T) {
	ctx := browser(t)
	srv := newServer(t)
	srv.Start()
	base := srv.Base()
	grantNotifications(t, ctx, base)
	regs := watchRegistrations(t, ctx, base)
	within(t, ctx, 15*time.Second, "open the dashboard", chromedp.Navigate(base), chromedp.WaitVisible("#login-form"))
	worker := activeWorker(t, ctx, base, regs)

	worker.push(t, `{"id":42,"type":1,"shopId":1,"kind":"来单提醒","content":"订单号:1795769534571063","createdAt":"2026-12-04T04:00:00Z","renotify":false}`)
	ns := notificationsUntil(t, ctx, "the new order's notification", func(ns []shown) bool { return len(ns) == 1 })
	n := ns[0]
	if n.Title != "新订单" || n.Body != "订单号:1795769534571063" || n.Tag != "alert-42" || !n.RequireInteraction || n.Renotify {
		t.Fatalf("new order shown as %+v, want 新订单 / 订单号:1795769534571063 / alert-42, requireInteraction, not renotify", n)
	}
	if n.Lang != "zh-CN" || n.Icon != base+"/icons/icon-192.png" || n.Data.ID != 42 || n.Data.URL != "/" {
		t.Fatalf("new order shown as %+v, want lang zh-CN, the 192 px icon, data {id: 42, url: /}", n)
	}

	// An escalation pushes the same alert again: it replaces the notification, and rings again.
	worker.push(t, `{"id":42,"type":1,"shopId":1,"kind":"来单提醒","content":"订单号:1795769534571063","createdAt":"2026-12-04T04:00:00Z","renotify":true}`)
	worker.push(t, `{"id":43,"type":2,"shopId":1,"kind":"客户催单","content":"订单号:1795769534571063","createdAt":"2026-12-04T04:01:00Z","renotify":false}`)
	worker.push(t, `{"id":44,"type":3,"shopId":1,"kind":"客房服务","content":"房间1203：加两条毛巾","createdAt":"2026-12-04T04:02:00Z","renotify":false}`)
	worker.push(t, `这不是 JSON`)
	ns = notificationsUntil(t, ctx, "four notifications", func(ns []shown) bool { return len(ns) == 4 })
	if n, count := byTag(ns, "alert-42"); count != 1 || !n.Renotify {
		t.Errorf("after the repeated push of alert 42: %d notifications tagged alert-42 (%+v), want one, renotify", count, n)
	}
	if n, _ := byTag(ns, "alert-43"); n.Title != "顾客催单" || n.Body != "订单号:1795769534571063" || !n.RequireInteraction {
		t.Errorf("reminder shown as %+v, want 顾客催单", n)
	}
	if n, _ := byTag(ns, "alert-44"); n.Title != "客房服务" || n.Body != "房间1203：加两条毛巾" {
		t.Errorf("a kind of its own shown as %+v, want 客房服务", n)
	}
	if n, _ := byTag(ns, ""); n.Title != "新提醒" || n.Body != "这不是 JSON" || !n.RequireInteraction {
		t.Errorf("a payload that is not JSON shown as %+v, want 新提醒 with its text", n)
	}
}

// TestNotificationSwitchSubscribesThisDevice is a shop's phone from 本设备通知 to a notification:
// with notifications blocked the switch says where to allow them; allowed, it subscribes this
// browser with the server's key (userVisibleOnly: a push always shows something) and gives the
// server the subscription exactly as the browser serialises it. The server pushes a paid order
// to the push service (the stand-in checks VAPID and decrypts with the subscription's keys) and
// what it decrypted, handed to the real worker, shows 新订单. A logout deletes the subscription
// on the server; the next login gives it back, so a reminder is pushed too. Off, the switch
// unsubscribes, the server forgets the endpoint, and nothing more is pushed.
func TestNotificationSwitchSubscribesThisDevice(t *testing.T) {
	ctx := browser(t)
	srv := newServer(t, "ORDERALERT_PUSH_ALLOW_PRIVATE=true") // the stand-in is on 127.0.0.1
	srv.Start()
	base := srv.Base()
	pushService := pushtest.New(t)
	sub := pushService.Subscribe(t)
	stubPush(t, ctx, sub)
	onNewDocument(t, ctx, recordPushCalls)
	setNotifications(t, ctx, base, cdpbrowser.PermissionSettingDenied)
	regs := watchRegistrations(t, ctx, base)
	logIn(t, ctx, srv)

	within(t, ctx, 15*time.Second, "本设备通知, off",
		until(`!document.getElementById("push-switch").hidden`),
		until(`document.getElementById("push-switch").textContent.includes("本设备通知")`),
		until(`document.getElementById("push").checked === false`))
	within(t, ctx, 10*time.Second, "turned on with notifications blocked",
		chromedp.Click("#push"),
		until(`document.getElementById("push-message").textContent === "浏览器已禁止通知，请在浏览器设置中允许"`),
		until(`!document.getElementById("push-message").hidden && document.getElementById("push").checked === false`))
	if n := evaluate[int](t, ctx, `window.__subscribed.length + window.__pushCalls.length`); n != 0 {
		t.Fatalf("with notifications blocked the page subscribed or called the server %d times", n)
	}

	grantNotifications(t, ctx, base)
	within(t, ctx, 15*time.Second, "turn it on",
		chromedp.Click("#push"),
		until(`window.__pushCalls.some(c => c.method === "POST" && c.status !== undefined)`),
		until(`document.getElementById("push").checked === true && document.getElementById("push-message").hidden`))
	calls := pushCalls(t, ctx)
	publicKey := serverKey(t, callTo(t, calls, "GET", "/admin/push/key"))
	pushService.ExpectKey(publicKey) // every push must be signed with the key the page subscribed with
	subscribed := evaluate[[]struct {
		UserVisibleOnly      bool
		ApplicationServerKey string
	}](t, ctx, `window.__subscribed`)
	if len(subscribed) != 1 || !subscribed[0].UserVisibleOnly || subscribed[0].ApplicationServerKey != publicKey {
		t.Fatalf("the page subscribed with %+v, want once, userVisibleOnly, applicationServerKey %s", subscribed, publicKey)
	}
	post := callTo(t, calls, "POST", "/admin/push/subscriptions")
	if post.Body != sub.JSON() || post.Token != pageToken(t, ctx) {
		t.Fatalf("the page POSTed %s with token %q, want %s with its own token", post.Body, post.Token, sub.JSON())
	}
	if post.Status != 200 || !strings.Contains(post.Answer, `"code":1`) || !strings.Contains(post.Answer, fmt.Sprintf(`"endpoint":%q`, sub.Endpoint)) {
		t.Fatalf("the server answered the subscription with %d %s", post.Status, post.Answer)
	}

	worker := activeWorker(t, ctx, base, regs)
	user := srv.userToken(7)
	submitted := srv.call(ctx, base, "POST", "/user/order/submit", user, `{"amount": 36}`)
	num, id := number.FindStringSubmatch(submitted)[1], orderID.FindStringSubmatch(submitted)[1]
	srv.call(ctx, base, "PUT", "/user/order/payment", user, fmt.Sprintf(`{"orderNumber":%q,"payMethod":1}`, num))
	paid := pushed(t, pushService, 1)
	if paid.Type != 1 || paid.Content != "订单号:"+num || paid.Renotify {
		t.Fatalf("the paid order was pushed as %+v", paid)
	}
	worker.push(t, paid.raw)
	ns := notificationsUntil(t, ctx, "the pushed order's notification", func(ns []shown) bool { return len(ns) == 1 })
	if n := ns[0]; n.Title != "新订单" || n.Body != "订单号:"+num || n.Tag != fmt.Sprintf("alert-%d", paid.ID) || !n.RequireInteraction {
		t.Fatalf("the pushed order shows %+v, want 新订单 / 订单号:%s / alert-%d, requireInteraction", n, num, paid.ID)
	}

	within(t, ctx, 10*time.Second, "退出", chromedp.Click("#logout"), chromedp.WaitVisible("#login-form"))
	logIn(t, ctx, srv)
	within(t, ctx, 15*time.Second, "the next login gives the server the subscription again",
		until(`window.__pushCalls.some(c => c.method === "POST" && c.status !== undefined)`),
		until(`document.getElementById("push").checked === true`))
	again := callTo(t, pushCalls(t, ctx), "POST", "/admin/push/subscriptions")
	if again.Body != sub.JSON() || again.Token != pageToken(t, ctx) || again.Status != 200 || !strings.Contains(again.Answer, `"code":1`) {
		t.Fatalf("after the login the page POSTed %s with token %q and the server answered %d %s", again.Body, again.Token, again.Status, again.Answer)
	}
	if n := evaluate[int](t, ctx, `window.__subscribed.length`); n != 0 {
		t.Fatalf("after the login the page subscribed %d times, want none: the browser still has its subscription", n)
	}
	time.Sleep(1100 * time.Millisecond) // the reminder cooldown of this server is 1 s
	srv.call(ctx, base, "GET", "/user/order/reminder/"+id, user, "")
	if reminded := pushed(t, pushService, 2); reminded.Type != 2 {
		t.Fatalf("the reminder was pushed as %+v", reminded)
	}

	within(t, ctx, 15*time.Second, "turn it off",
		chromedp.Click("#push"),
		until(`window.__pushCalls.some(c => c.method === "DELETE" && c.status !== undefined)`),
		until(`document.getElementById("push").checked === false && window.__unsubscribed === 1`))
	del := callTo(t, pushCalls(t, ctx), "DELETE", "/admin/push/subscriptions")
	if del.Body != fmt.Sprintf(`{"endpoint":%q}`, sub.Endpoint) || del.Status != 200 || del.Answer != `{"code":1,"msg":null,"data":null}` {
		t.Fatalf("turning it off sent DELETE %s and the server answered %d %s", del.Body, del.Status, del.Answer)
	}
	late := number.FindStringSubmatch(srv.call(ctx, base, "POST", "/user/order/submit", user, `{"amount": 5}`))[1]
	srv.call(ctx, base, "PUT", "/user/order/payment", user, fmt.Sprintf(`{"orderNumber":%q,"payMethod":1}`, late))
	within(t, ctx, 10*time.Second, "the order paid after 关闭 pops up on the page",
		until(fmt.Sprintf(`[...document.querySelectorAll("#popups .popup .content")].some(c => c.textContent === "订单号:%s")`, late)))
	time.Sleep(time.Second) // the sender passes every 250 ms: a push would have gone by now
	if m := pushService.Messages(); len(m) != 2 {
		t.Fatalf("the push service got %d messages, want 2: nothing after the device turned notifications off", len(m))
	}
	if refused := pushService.Refusals(); len(refused) != 0 {
		t.Fatalf("the push service refused %q", refused)
	}
}

// pushedAlert is the payload the server pushed, decrypted by the stand-in.
type pushedAlert struct {
	ID, ShopID    int64
	Type          int
	Kind, Content string
	CreatedAt     string
	Renotify      bool
	raw           string
}

// pushed waits for the stand-in's nth message and decodes it.
func pushed(t *testing.T, svc *pushtest.Service, n int) pushedAlert {
	t.Helper()
	m := svc.WaitFor(t, n, 15*time.Second)[n-1]
	var p pushedAlert
	if err := json.Unmarshal(m.Payload, &p); err != nil {
		t.Fatalf("push %d: %v\n%s", n, err, m.Payload)
	}
	if len(m.Payload) > 2048 {
		t.Fatalf("push %d is %d bytes, more than 2 KiB", n, len(m.Payload))
	}
	p.raw = string(m.Payload)
	return p
}

// serverKey is the VAPID public key the server gave the page.
func serverKey(t *testing.T, key pushCall) string {
	t.Helper()
	var answer struct {
		Code int
		Data struct{ PublicKey string }
	}
	if err := json.Unmarshal([]byte(key.Answer), &answer); err != nil || answer.Code != 1 || len(answer.Data.PublicKey) != 87 {
		t.Fatalf("GET /admin/push/key answered %d %s, want code 1 and an 87-character key", key.Status, key.Answer)
	}
	return answer.Data.PublicKey
}

// callTo is the page's one call of method to path.
func callTo(t *testing.T, calls []pushCall, method, path string) pushCall {
	t.Helper()
	var found []pushCall
	for _, c := range calls {
		if c.Method == method && c.Path == path {
			found = append(found, c)
		}
	}
	if len(found) != 1 {
		t.Fatalf("the page called %s %s %d times, want once; its calls: %+v", method, path, len(found), calls)
	}
	return found[0]
}

// TestAHandledAlertLeavesNoNotification: once someone handles an alert — here with 知道了, on
// any screen as well — this device's notification of it closes, instead of waiting for a
// click on an order that is no longer waiting.
func TestAHandledAlertLeavesNoNotification(t *testing.T) {
	ctx := browser(t)
	srv := newServer(t)
	srv.Start()
	base := srv.Base()
	grantNotifications(t, ctx, base)
	regs := watchRegistrations(t, ctx, base)
	logIn(t, ctx, srv)
	worker := activeWorker(t, ctx, base, regs)

	user := srv.userToken(7)
	num := number.FindStringSubmatch(srv.call(ctx, base, "POST", "/user/order/submit", user, `{"amount": 20}`))[1]
	srv.call(ctx, base, "PUT", "/user/order/payment", user, fmt.Sprintf(`{"orderNumber":%q,"payMethod":1}`, num))
	within(t, ctx, 10*time.Second, "the new-order popup", until(`document.querySelectorAll('#popups .popup[data-type="1"]').length === 1`))
	id := evaluate[string](t, ctx, `document.querySelector('#popups .popup').dataset.alertId`)
	// What the server pushes for it, and another alert's that nobody handles.
	worker.push(t, fmt.Sprintf(`{"id":%s,"type":1,"shopId":1,"kind":"来单提醒","content":"订单号:%s","createdAt":"2026-12-04T04:00:00Z","renotify":false}`, id, num))
	worker.push(t, `{"id":999,"type":2,"shopId":1,"kind":"客户催单","content":"订单号:1","createdAt":"2026-12-04T04:00:00Z","renotify":false}`)
	notificationsUntil(t, ctx, "both notifications", func(ns []shown) bool { return len(ns) == 2 })

	within(t, ctx, 10*time.Second, "知道了", chromedp.Click(`#popups .popup .dismiss`),
		until(`document.querySelectorAll('#popups .popup').length === 0`))
	notificationsUntil(t, ctx, "only the other alert's notification", func(ns []shown) bool {
		return len(ns) == 1 && ns[0].Tag == "alert-999"
	})
}
