package browser

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/orderalert/orderalert/test/pushtest"
)

// stubPushManager replaces the page's PushManager (not the worker's) with one that subscribes
// at once to the test's subscription and records each subscribe's options. The subscription is
// kept in localStorage, as a browser keeps its own across reloads.
const stubPushManager = `(() => {
  const cfg = %s;
  const STORE = "test.pushSubscriptionKey";
  const bytes = (s) => Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0)).buffer;
  const text = (k) => typeof k === "string" ? k : btoa(String.fromCharCode(...new Uint8Array(ArrayBuffer.isView(k)
    ? k.buffer.slice(k.byteOffset, k.byteOffset + k.byteLength) : k))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  const subscription = (key) => ({
    endpoint: cfg.endpoint, expirationTime: null, options: { userVisibleOnly: true, applicationServerKey: bytes(key) },
    getKey(name) { return cfg.keys[name] ? bytes(cfg.keys[name]) : null; },
    toJSON() { return { endpoint: cfg.endpoint, expirationTime: null, keys: cfg.keys }; },
    async unsubscribe() { localStorage.removeItem(STORE); window.__unsubscribed++; return true; },
  });
  window.__subscribed = [];
  window.__unsubscribed = 0;
  PushManager.prototype.subscribe = async function (o) {
    const key = o.applicationServerKey == null ? null : text(o.applicationServerKey);
    window.__subscribed.push({ userVisibleOnly: o.userVisibleOnly, applicationServerKey: key, keyType: typeof o.applicationServerKey });
    localStorage.setItem(STORE, key);
    return subscription(key);
  };
  PushManager.prototype.getSubscription = async function () {
    const key = localStorage.getItem(STORE);
    return key === null ? null : subscription(key);
  };
  PushManager.prototype.permissionState = async function () { return Notification.permission === "granted" ? "granted" : "prompt"; };
})();`

// stubPush gives the page the stand-in push service's subscription sub: headless Chromium
// cannot subscribe for real (its push service is Google's, and the call never settles without
// it), and the stand-in must know the keys to decrypt what the server pushes.
func stubPush(t *testing.T, ctx context.Context, sub pushtest.Subscription) {
	t.Helper()
	cfg, _ := json.Marshal(map[string]any{"endpoint": sub.Endpoint, "keys": sub.Keys})
	onNewDocument(t, ctx, fmt.Sprintf(stubPushManager, cfg))
}

// recordPushCalls records, before the page's own scripts run, each call the page makes to
// /admin/push/: what it sent and what the server answered.
const recordPushCalls = `window.__pushCalls = [];
(() => {
  const fetch = window.fetch.bind(window);
  window.fetch = async (url, opts = {}) => {
    const path = new URL(String(url), location.href).pathname;
    if (!path.startsWith("/admin/push/")) return fetch(url, opts);
    const call = { method: opts.method || "GET", path, body: opts.body ?? null, token: (opts.headers || {}).token ?? null };
    window.__pushCalls.push(call);
    const res = await fetch(url, opts);
    call.status = res.status;
    call.answer = await res.clone().text();
    return res;
  };
})();`

// pushCall is one request the page made to /admin/push/, with the server's answer.
type pushCall struct {
	Method, Path, Body, Token, Answer string
	Status                            int
}

func pushCalls(t *testing.T, ctx context.Context) []pushCall {
	t.Helper()
	return evaluate[[]pushCall](t, ctx, `window.__pushCalls.filter(c => c.status !== undefined)`)
}

// grantNotifications allows the origin's notifications, as a click on 「允许」 would.
func grantNotifications(t *testing.T, ctx context.Context, origin string) {
	t.Helper()
	setNotifications(t, ctx, origin, cdpbrowser.PermissionSettingGranted)
}

// setNotifications sets the origin's notification permission, as the browser's settings do.
func setNotifications(t *testing.T, ctx context.Context, origin string, setting cdpbrowser.PermissionSetting) {
	t.Helper()
	_, err := chromedp.CallBrowser(ctx, cdpbrowser.SetPermission, cdpbrowser.SetPermissionParams{
		Permission: &cdpbrowser.PermissionDescriptor{Name: "notifications"}, Setting: setting,
		Origin: origin, BrowserContextID: chromedp.FromContext(ctx).BrowserContextID,
	})
	if err != nil {
		t.Fatalf("notifications %s: %v", setting, err)
	}
}
