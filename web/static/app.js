// The dashboard: log in, load the kinds of alert and the recent alerts, open the socket and, for
// each new alert, a popup titled with its kind's name, a chime and its kind's sentence.

import { connect } from "/sdk/orderalert.js";
import { api, session, Unauthorized } from "./api.js";
import { kindName, know, loadKinds, sentence } from "./kinds.js";
import { showPopup } from "./popup.js";
import { chime, speak, unlock } from "./sound.js";

const $ = (id) => document.getElementById(id);
const STATES = { connecting: "连接中…", open: "已连接", reconnecting: "重新连接中…", closed: "未连接", stopped: "未连接", replaced: "已在其他窗口打开" };
// The newest alert id this browser has shown is kept in localStorage under this key, shared by
// the dashboard's tabs; each tab's socket only starts from it (the library keeps its own
// position), so that a tab does not drop an alert because another tab showed it first.
const LAST_ID_KEY = "orderalert.lastAlertId";
let socket = null;
let ringing = Promise.resolve(); // alerts ring one after another, in id order

function showLogin(message = "") {
  socket?.close();
  socket = null;
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
  try {
    // Without the kinds the page still works, with plain names and sentences.
    const [recent] = await Promise.all([api.recentAlerts(), loadKinds().catch(rethrowUnauthorized)]);
    $("alerts").replaceChildren();
    recent.forEach(addToList);
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
    onStatus: showStatus,
    // The server's log is behind what this browser saw (a restored database): start from its
    // newest alert.
    onResync: async () => {
      const recent = await api.recentAlerts(1);
      return recent.length ? recent[0].id : 0;
    },
  });
}

function showStatus(status) {
  if (status === "unauthorized") return showLogin("登录已过期，请重新登录");
  // 4401: the token was logged out or its account locked; only a fresh login opens a socket.
  if (status === "revoked") return showLogin("登录已失效，请重新登录");
  $("connection").dataset.state = status;
  $("connection").textContent = STATES[status];
}

function addToList(frame) {
  const li = document.createElement("li");
  li.dataset.type = String(frame.type);
  li.dataset.alertId = String(frame.id);
  const kind = document.createElement("span");
  kind.className = "kind";
  kind.textContent = kindName(frame);
  const content = document.createElement("span");
  content.textContent = frame.content;
  const time = document.createElement("time");
  time.dateTime = frame.createdAt;
  time.textContent = new Date(frame.createdAt).toLocaleTimeString("zh-CN");
  li.append(kind, content, time);
  $("alerts").prepend(li);
  $("empty").hidden = true;
}

async function ring(frame) {
  await know(frame.type); // a kind created since the page loaded
  addToList(frame);
  showPopup(frame, { title: kindName(frame), onLoggedOut: () => showLogin("登录已过期，请重新登录") });
  if (!chime(frame.type)) $("sound-blocked").hidden = false;
  speak(sentence(frame));
}

function rethrowUnauthorized(err) {
  if (err instanceof Unauthorized) throw err;
}

async function enableSound() {
  const on = await unlock().catch(() => false);
  $("sound").dataset.state = on ? "on" : "off";
  $("sound").textContent = on ? "声音已开启" : "开启声音提醒";
  $("sound-blocked").hidden = on;
}

$("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  $("login-error").textContent = "";
  try {
    const res = await api.login($("username").value, $("password").value);
    session.save(res.token, res.name);
    await enableSound(); // the login click is a user gesture: unlock audio with it
    showLive();
  } catch (err) {
    $("login-error").textContent = err.message;
  }
});
$("sound").addEventListener("click", enableSound);
// 退出 ends this token on the server too (and the sockets opened with it); other screens logged
// in with the same account keep theirs. The page's own socket is stopped first, so that its 4401
// does not show a reason for a logout the user asked for.
$("logout").addEventListener("click", async () => {
  socket?.close();
  socket = null;
  await api.logout().catch(() => {}); // an expired token is logged out already
  showLogin();
});

if (session.token) showLive(); else showLogin();
