// 本设备通知: this device's notifications, for when the dashboard's tab is in the background or
// closed, or the phone locked. The switch subscribes the browser at its own push service
// (Google's for Chrome and Edge's for Edge, Mozilla's for Firefox, Apple's for Safari) with the
// server's VAPID key and gives the server the subscription; the server pushes every alert of the
// employee's shops to it and the service worker (sw.js) shows each one. The switch is shown only
// where the browser can push (on an iPhone, only in the dashboard added to the home screen).

import { api, Unauthorized } from "./api.js";

const $ = (id) => document.getElementById(id);
const DENIED = "浏览器已禁止通知，请在浏览器设置中允许";
const DISMISSED = "没有允许通知：再打开一次开关，并在浏览器询问时选择「允许」";
// Where the browser's push service cannot be reached (Chrome's is Google's), subscribe may
// never settle: the switch gives up rather than spin for ever.
const SUBSCRIBE_TIMEOUT_MS = 20000;
const UNREACHABLE = "连接不上浏览器的推送服务，本设备收不到通知";

let worker = null; // the active registration's promise; null where the browser cannot push
let onLoggedOut = () => {};

export function supported() {
  return "serviceWorker" in navigator && "PushManager" in window;
}

// register installs the service worker as the page loads, logged in or not: it shows what a
// subscription made earlier receives, and makes the dashboard installable.
export function register() {
  if (!supported()) return;
  worker = navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(() => navigator.serviceWorker.ready);
  worker.catch(() => { worker = null; }); // no worker allowed (some private windows): no switch
  $("push").addEventListener("change", toggle);
}

// showSwitch shows the switch in this device's state once someone is logged in, and gives the
// server this device's subscription again: a logout deleted it there, and a repeat is harmless.
export async function showSwitch(options) {
  onLoggedOut = options.onLoggedOut;
  const reg = await worker?.catch(() => null);
  if (!reg) return;
  const sub = Notification.permission === "granted" ? await reg.pushManager.getSubscription() : null;
  $("push").checked = sub !== null;
  $("push-switch").hidden = false;
  if (sub) await subscribe(reg).catch((err) => failed(err, "本设备通知未能登记到服务器"));
}

// dismiss closes this device's notification of an alert someone handled, on any screen.
export async function dismiss(alertId) {
  const reg = await worker?.catch(() => null);
  for (const n of (await reg?.getNotifications({ tag: `alert-${alertId}` })) ?? []) n.close();
}

async function toggle() {
  const box = $("push");
  // Asked at once, in the click itself: browsers ask the user only during a gesture.
  const permission = box.checked ? Notification.requestPermission() : null;
  box.disabled = true;
  say("");
  try {
    if (permission) await turnOn(await permission); else await turnOff();
  } finally {
    box.disabled = false;
  }
}

async function turnOn(permission) {
  if (permission !== "granted") {
    $("push").checked = false;
    say(permission === "denied" ? DENIED : DISMISSED);
    return;
  }
  const reg = await worker;
  try {
    await subscribe(reg);
  } catch (err) {
    // Nothing half done: a subscription the server lacks would look "on" and ring nothing.
    await (await reg.pushManager.getSubscription())?.unsubscribe().catch(() => {});
    $("push").checked = false;
    failed(err, "本设备通知未开启");
  }
}

async function turnOff() {
  const sub = await (await worker).pushManager.getSubscription();
  if (sub) {
    // The server first, while the endpoint still means something; if it fails, this device
    // stops anyway: the push service then refuses the endpoint and the server drops it.
    await api.removePushSubscription(sub.endpoint).catch((err) => { if (err instanceof Unauthorized) onLoggedOut(); });
    await sub.unsubscribe().catch(() => {});
  }
  $("push").checked = false;
}

// subscribe makes sure this browser is subscribed with the server's key, then registers the
// subscription with the server.
async function subscribe(reg) {
  const key = bytes((await api.pushKey()).publicKey);
  let sub = await reg.pushManager.getSubscription();
  // Made with a key the server no longer signs with (new VAPID keys): nothing would arrive.
  if (sub && !sameKey(sub.options?.applicationServerKey, key)) {
    await sub.unsubscribe();
    sub = null;
  }
  sub ??= await withTimeout(reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key }));
  await api.addPushSubscription(sub);
}

function failed(err, what) {
  if (err instanceof Unauthorized) onLoggedOut();
  else say(`${what}：${err.message}`);
}

function say(text) {
  $("push-message").textContent = text;
  $("push-message").hidden = text === "";
}

function withTimeout(promise) {
  let timer;
  const late = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(UNREACHABLE)), SUBSCRIBE_TIMEOUT_MS); });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

// bytes decodes base64url without padding, as VAPID keys are written.
function bytes(base64url) {
  return Uint8Array.from(atob(base64url.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
}

// sameKey: a browser that does not say which key it subscribed with is taken at its word.
function sameKey(buffer, key) {
  if (!buffer) return true;
  const had = new Uint8Array(buffer);
  return had.length === key.length && had.every((b, i) => b === key[i]);
}
