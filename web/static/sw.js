// The dashboard's service worker, at /sw.js so that its scope is the whole dashboard: it shows
// each alert the server pushes as a notification, for when the tab is in the background or
// closed, or the phone locked, and a click on one brings the dashboard forward. It caches
// nothing: the dashboard is live data and has nothing to show offline.

importScripts("/notification.js");

const { notificationOf, windowToFocus } = self.orderalertNotification;

// A new release's worker takes over at once, and controls the pages already open: an old
// worker left waiting would show the old release's notifications until every tab closed.
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("push", (event) => {
  const { title, options } = notificationOf(event.data ? event.data.text() : null);
  event.waitUntil(self.registration.showNotification(title, options));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(showDashboard(event.notification.data?.url || "/"));
});

async function showDashboard(url) {
  // includeUncontrolled: a dashboard opened before this worker was installed counts too.
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const open = windowToFocus(windows, self.location.origin);
  return open ? open.focus() : self.clients.openWindow(url);
}
