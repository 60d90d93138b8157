// The dashboard's socket: a fresh ticket for every attempt, resume with lastAlertId (kept in
// localStorage), each id shown once, reconnect with full-jitter exponential backoff, and a
// heartbeat watchdog because a browser cannot see WebSocket pings.

import { api, Unauthorized } from "./api.js";

const LAST_ID_KEY = "orderalert.lastAlertId";
// The first retry comes within a quarter second and no wait exceeds 3 s, so a dashboard is back
// within seconds of its server; the full jitter spreads a crowd of them over those 3 s.
const BACKOFF_MIN_MS = 250;
const BACKOFF_MAX_MS = 3000;
const SILENCE_LIMIT_MS = 60000; // two server ping intervals (25 s) and some slack

// The newest id this browser has shown, kept across reloads. Every tab of the dashboard shares
// it, so each socket keeps its own position in memory (AlertSocket.lastId) and only starts
// from it: a tab must not drop an alert because another tab showed it first.
export const lastAlertId = {
  get() { return Number(localStorage.getItem(LAST_ID_KEY) || 0); },
  set(id) { localStorage.setItem(LAST_ID_KEY, String(id)); },
  advance(id) { if (id > this.get()) this.set(id); },
};

// Delay of attempt n (0-based): uniformly random up to min(max, min·2^n), so that dashboards
// that lost the same server do not all come back in the same millisecond.
export function backoff(attempt, random = Math.random) {
  return random() * Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** attempt);
}

export class AlertSocket {
  // lastId: the newest alert the page already shows (the socket resumes after it); by default the
  // newest this browser has shown.
  constructor({ onAlert, onState, onLoggedOut, onRevoked, onResync, lastId = lastAlertId.get() }) {
    Object.assign(this, { onAlert, onState, onLoggedOut, onRevoked, onResync, lastId });
    this.sid = (crypto.randomUUID?.() || String(Math.random()).slice(2)).replace(/[^A-Za-z0-9_-]/g, "");
    this.attempt = 0;
    this.stopped = false;
  }

  async connect() {
    if (this.stopped) return;
    this.onState(this.attempt === 0 ? "connecting" : "reconnecting");
    let ticket;
    try {
      ticket = (await api.ticket()).ticket;
    } catch (err) {
      if (err instanceof Unauthorized) { this.stop(); this.onLoggedOut(); return; }
      this.retry();
      return;
    }
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const url = `${scheme}//${location.host}/ws/${this.sid}?ticket=${encodeURIComponent(ticket)}` +
      `&lastAlertId=${this.lastId}&heartbeat=1`;
    const ws = new WebSocket(url);
    this.ws = ws;
    ws.onopen = () => { this.attempt = 0; this.onState("open"); this.watch(); };
    ws.onmessage = (event) => { this.watch(); this.receive(event.data); };
    ws.onclose = (event) => this.closed(ws, event.code);
  }

  receive(data) {
    let frame;
    try { frame = JSON.parse(data); } catch { return; }
    if (frame.type !== 1 && frame.type !== 2) return; // {"type":0} is the heartbeat
    if (frame.id <= this.lastId) return; // seen before a reconnect
    this.lastId = frame.id;
    lastAlertId.advance(frame.id);
    this.onAlert(frame);
  }

  async closed(ws, code) {
    clearTimeout(this.silence);
    if (ws !== this.ws || this.stopped) return;
    if (code === 4509) { this.stopped = true; this.onState("replaced"); return; }
    // 4401, the one 4xxx code not to reconnect on: the token was logged out or its account
    // locked; only a fresh login can open a socket again.
    if (code === 4401) { this.stop(); this.onRevoked(); return; }
    if (code === 4010) {
      // The server's log is behind what we saw (a restored database): start from its newest.
      try { this.lastId = await this.onResync(); } catch { /* retried below */ }
    }
    this.retry();
  }

  retry() {
    if (this.stopped) return;
    this.onState("reconnecting");
    const delay = backoff(this.attempt++);
    this.timer = setTimeout(() => this.connect(), delay);
  }

  // watch closes a socket that has been silent too long; onclose then reconnects.
  watch() {
    clearTimeout(this.silence);
    this.silence = setTimeout(() => this.ws?.close(), SILENCE_LIMIT_MS);
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.silence);
    this.ws?.close();
  }
}
