// The dashboard: log in, load the kinds of alert, the recent alerts and the open ones, open the
// socket and, for each new alert, a popup titled with its kind's name, a chime and its kind's
// sentence — rung again every reringInterval until someone, on any screen, handles it (alarm.js).
// With 本设备通知 on (push.js), the service worker shows each alert even with the tab closed.

import { connect } from "/sdk/orderalert.js";
import { ackText, closed, openCount, opened, reset, startReringing, stopReringing, watch } from "./alarm.js";
import { api, session, Unauthorized } from "./api.js";
import { kindName, know, loadKinds, sentence } from "./kinds.js";
import { closePopup, showPopup } from "./popup.js";
import { dismiss, register, showSwitch } from "./push.js";
import { arm, reportTo } from "./screen.js";
import { chime, speak } from "./sound.js";

const $ = (id) => document.getElementById(id);
const STATES = { connecting: "连接中…", open: "已连接", reconnecting: "重新连接中…", closed: "未连接", stopped: "未连接", replaced: "已在其他窗口打开" };
// The newest alert id this browser has shown is kept in localStorage under this key, shared by
// the dashboard's tabs; each tab's socket only starts from it (the library keeps its own
// position), so that a tab does not drop an alert because another tab showed it first.
const LAST_ID_KEY = "orderalert.lastAlertId";
let socket = null;
let ringing = Promise.resolve(); // alerts ring one after another, in id order
// The re-ring interval until the server's is known (GET /admin/dashboard-config).
const DEFAULT_RERING_MS = 30000;

watch((n) => {
  $("open-count").hidden = n === 0;
  $("open-count").querySelector("b").textContent = String(n);
});

function showLogin(message = "") {
  socket?.close();
  socket = null;
  stopReringing();
  reset();
  session.clear();
  $("live").hidden = true;
  $("login").hidden = false;
  $("login-error").textContent = message;
}

async function showLive() {
  $("login").hidden = true;
  $("live").hidden = false;
  $("who").textContent = session.name;
  let shown; // the newest alert on the page: the socket resumes after it
  let reringMs = DEFAULT_RERING_MS;
  try {
    // Without the kinds the page still works, with plain names and sentences.
    const [recent, open, config] = await Promise.all([
      api.recentAlerts(), api.openAlerts(), api.dashboardConfig().catch(rethrowUnauthorized), loadKinds().catch(rethrowUnauthorized),
    ]);
    if (config?.reringIntervalSeconds > 0) reringMs = config.reringIntervalSeconds * 1000;
    $("alerts").replaceChildren();
    reset();
    recent.forEach(addToList);
    // What nobody has handled yet pops up again after a reload, to be handled here.
    open.forEach((frame) => { opened(frame); popup(frame); });
    shown = recent.length ? recent[recent.length - 1].id : 0;
  } catch (err) {
    if (err instanceof Unauthorized) return showLogin("登录已过期，请重新登录");
  }
  socket = connect({
    getTicket: api.ticket,
    lastAlertId: shown, // undefined when the history did not load: the newest this browser showed
    storage: localStorage,
    storageKey: LAST_ID_KEY,
    onAlert: (alert) => { ringing = ringing.then(() => ring(alert)).catch(reportError); },
    onEvent: (event) => { if (event.event === "ack") ringing = ringing.then(() => acknowledged(event)).catch(reportError); },
    onStatus: showStatus,
    // The server's log is behind what this browser saw (a restored database): start from its
    // newest alert.
    onResync: async () => {
      const recent = await api.recentAlerts(1);
      return recent.length ? recent[0].id : 0;
    },
  });
  reportTo((state) => socket?.reportState(state));
  showSwitch({ onLoggedOut: () => showLogin("登录已过期，请重新登录") }).catch(reportError);
  startReringing(reringMs, (oldest, n) => { ringing = ringing.then(() => ringAgain(oldest, n)).catch(reportError); });
}

function showStatus(status) {
  if (status === "unauthorized") return showLogin("登录已过期，请重新登录");
  // 4401: the token was logged out or its account locked; only a fresh login opens a socket.
  if (status === "revoked") return showLogin("登录已失效，请重新登录");
  $("connection").dataset.state = status;
  $("connection").textContent = STATES[status];
}

function addToList(frame) {
  if (document.querySelector(`#alerts li[data-alert-id="${frame.id}"]`)) return;
  const li = document.createElement("li");
  li.dataset.type = String(frame.type);
  li.dataset.alertId = String(frame.id);
  const kind = document.createElement("span");
  kind.className = "kind";
  kind.textContent = kindName(frame);
  const content = document.createElement("span");
  content.textContent = frame.content;
  const handled = document.createElement("span");
  handled.className = "handled";
  const time = document.createElement("time");
  time.dateTime = frame.createdAt;
  time.textContent = new Date(frame.createdAt).toLocaleTimeString("zh-CN");
  li.append(kind, content, handled, time);
  $("alerts").prepend(li);
  $("empty").hidden = true;
  if (frame.ack) markHandled(frame.id, frame.ack);
}

function markHandled(id, ack) {
  const li = document.querySelector(`#alerts li[data-alert-id="${id}"]`);
  if (!li) return;
  li.dataset.acked = "true";
  li.querySelector(".handled").textContent = ackText(ack);
}

function popup(frame) {
  showPopup(frame, {
    title: kindName(frame),
    onLoggedOut: () => showLogin("登录已过期，请重新登录"),
    ack: (alert) => api.ack(alert.id, socket?.sid),
  });
}

async function ring(frame) {
  await know(frame.type); // a kind created since the page loaded
  addToList(frame);
  if (frame.ack) return; // replayed after someone handled it: nothing to ring
  opened(frame);
  popup(frame);
  sound(frame.type, sentence(frame));
}

// ringAgain is the alarm's reminder while alerts are open: the oldest one's chime and sentence.
async function ringAgain(oldest, n) {
  if (openCount() === 0) return; // handled while this ring waited its turn
  sound(oldest.type, n > 1 ? `还有${n}条提醒未处理。${sentence(oldest)}` : `提醒未处理。${sentence(oldest)}`);
}

function sound(type, text) {
  if (!chime(type)) $("sound-blocked").hidden = false;
  speak(text);
}

// acknowledged closes the alert on this screen, wherever it was handled.
function acknowledged(event) {
  closed(event.alertId);
  closePopup(event.alertId);
  markHandled(event.alertId, event);
  dismiss(event.alertId).catch(reportError); // this device's notification of it, if any
}

function rethrowUnauthorized(err) {
  if (err instanceof Unauthorized) throw err;
}

// armScreen turns this screen into an alarm: sound (with a test when asked), the wake lock, and
// the state the server is told. A click, the login's included, is the gesture browsers ask for.
async function armScreen(test) {
  const on = await arm({ test });
  $("sound").dataset.state = on ? "on" : "off";
  $("sound").textContent = on ? "本屏提醒已启用" : "启用本屏提醒";
  $("sound-blocked").hidden = on;
  $("arm").hidden = on;
}

$("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  $("login-error").textContent = "";
  try {
    const res = await api.login($("username").value, $("password").value);
    session.save(res.token, res.name);
    await armScreen(false); // the login click is a user gesture: unlock audio with it
    showLive();
  } catch (err) {
    $("login-error").textContent = err.message;
  }
});
$("sound").addEventListener("click", () => armScreen(true));
$("arm-button").addEventListener("click", () => armScreen(true));
// 退出 ends this token on the server too (and the sockets opened with it); other screens logged
// in with the same account keep theirs. The page's own socket is stopped first, so that its 4401
// does not show a reason for a logout the user asked for.
$("logout").addEventListener("click", async () => {
  socket?.close();
  socket = null;
  await api.logout().catch(() => {}); // an expired token is logged out already
  showLogin();
});

register();
if (session.token) showLive(); else showLogin();
