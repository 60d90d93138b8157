// What a push becomes on screen, and where a click on it leads: pure functions that the
// service worker (sw.js) imports and a page can load to test them — the browser cannot click a
// notification for a test. A classic script, not a module, because sw.js is one: module service
// workers came late to Firefox and Safari, and this worker must run wherever push does.

self.orderalertNotification = (() => {
  const TITLES = { 1: "新订单", 2: "顾客催单" };
  const ICON = "/icons/icon-192.png";

  // notificationOf turns a push's text — the server's JSON ({id, type, kind, content, renotify,
  // …}), or anything else, or null for a push without data — into showNotification's title and
  // options. Every push shows something: the browser lets a site push only on that promise.
  function notificationOf(text) {
    let alert = null;
    try { alert = JSON.parse(text); } catch { /* not JSON: shown as it came */ }
    const common = { lang: "zh-CN", icon: ICON, requireInteraction: true };
    if (alert === null || typeof alert !== "object" || alert.id == null) {
      return { title: "新提醒", options: { ...common, body: text ?? "", data: { url: "/" } } };
    }
    return {
      title: TITLES[alert.type] || alert.kind || "新提醒",
      options: {
        ...common,
        body: String(alert.content ?? ""),
        // One notification per alert: an escalation's push of the same alert replaces it, and
        // with renotify rings again instead of changing silently.
        tag: `alert-${alert.id}`,
        renotify: alert.renotify === true,
        data: { id: alert.id, url: "/" },
      },
    };
  }

  // windowToFocus picks, among the windows clients.matchAll() found ({url, focused,
  // visibilityState}), the dashboard a click brings forward — the focused one, else one in view,
  // else any — or null when none is open, so that the click opens one. Only the dashboard's page
  // counts: a tab showing an API answer or the SDK is of the same origin but no dashboard.
  function windowToFocus(windows, origin) {
    const dashboards = windows.filter((w) => {
      const url = new URL(w.url);
      return url.origin === origin && (url.pathname === "/" || url.pathname === "/index.html");
    });
    return dashboards.find((w) => w.focused) || dashboards.find((w) => w.visibilityState === "visible") || dashboards[0] || null;
  }

  return { notificationOf, windowToFocus };
})();
