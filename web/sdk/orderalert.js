/**
 * orderalert.js — the client of orderalert's alert socket for any admin front end (an ES module,
 * no build step, no dependencies). The service serves it at /sdk/orderalert.js; docs/sdk.md has
 * the guide. The bundled dashboard uses it too.
 *
 *   import { connect } from "https://alerts.example.com/sdk/orderalert.js";
 *   const alerts = connect({
 *     baseUrl: "https://alerts.example.com",   // default: the page's own origin
 *     getTicket: async () => (await http.post("/admin/ws/ticket")).data.data.ticket,
 *     storage: localStorage,                   // resume after a reload where the page left off
 *     onAlert: (alert) => ring(alert),         // {id,type,shopId,orderId,orderNumber,content,source,createdAt}
 *     onStatus: (status, detail) => show(status),
 *   });
 *   // …later: alerts.close();
 *
 * What it does for the caller:
 *  - asks the caller's getTicket for a fresh single-use ticket before every attempt, so the front
 *    end's own HTTP client, base URL and token header are used (the library sends no token);
 *  - opens /ws/{sid}?ticket=…&lastAlertId=…&heartbeat=1&events=1&shopId=…, and after a drop
 *    reconnects with full-jitter exponential backoff (a quarter second growing to 3 s) resuming
 *    after the newest id it has handed over, so nothing is missed;
 *  - hands each id over once, in increasing order: a frame whose id is not above the newest one
 *    seen is dropped;
 *  - watches the server's {"type":0} heartbeats (a browser cannot see pings) and reconnects when
 *    the socket has been silent for silenceMs;
 *  - obeys the close codes of api/asyncapi.yaml: 4401 (the login behind the ticket was revoked)
 *    and a ticket refused with 401 stop it with status "revoked" / "unauthorized" — log in again
 *    and connect anew; 4509 (a newer socket took this sid) stops it with "replaced", never
 *    fighting back; other 4500–4999 stop it with "stopped"; 4010 (the server's log is behind the
 *    resume id: its database was replaced) asks onResync for a new position; everything else
 *    (1001 shutdown, 1006 lost, 1011, 1013, 4008 slow consumer, …) reconnects with lastAlertId.
 *
 * connect(options) → Connection
 *  options.getTicket   async () => string | {ticket}; required. Throw LoginRequired, or any error
 *                      whose status (or response.status, as axios has it) is 401, when the user
 *                      must log in again; any other error is retried with backoff.
 *  options.onAlert     (alert) => void; required. Alerts of every kind, type ≥ 1.
 *  options.onEvent     (event) => void; frames with an `event` field (acknowledgements, …).
 *  options.onStatus    (status, detail) => void. status is "connecting" (first attempt), "open",
 *                      "reconnecting" — detail {cause, code, reason, error, attempt, delayMs},
 *                      cause "closed" (code says how), "silence", "timeout" (a hung handshake)
 *                      or "ticket" (getTicket failed: error) — or a final one: "closed" (close()
 *                      was called), "revoked", "unauthorized", "replaced", "stopped" (detail
 *                      {code, reason, error}).
 *  options.onResync    async () => number: after 4010, the id to resume after — typically the
 *                      newest id of GET /admin/alerts once the page has reloaded its history.
 *                      Without it the library resumes with live alerts only.
 *  options.baseUrl     the service's URL (http(s):// or ws(s)://, may have a path prefix);
 *                      default: the page's origin. A page on another origin must be listed in
 *                      the service's ORDERALERT_ALLOWED_ORIGINS (the socket checks Origin).
 *  options.sid         the socket's client id, [A-Za-z0-9_-]{1,64}; default: random per
 *                      connect(). One sid per screen: a second socket with it replaces the first.
 *  options.shopIds     platform staff: watch only these shops (repeated ?shopId=).
 *  options.events      default true: every kind of alert, and event frames. false: only types 1
 *                      and 2, as the original sky-take-out front ends expect.
 *  options.heartbeat   default true (always on with events): heartbeats and the silence watch.
 *  options.silenceMs   default 60000: reconnect when nothing came for this long, or the
 *                      handshake has not completed; keep it above twice the server's
 *                      ORDERALERT_WS_PING_INTERVAL (25 s by default).
 *  options.lastAlertId resume after this id (0: everything the server keeps). Default: the
 *                      storage's value, or live alerts only when there is none.
 *  options.storage     where the newest id survives a reload: a Web Storage (localStorage) or
 *                      any {get() → number|null, set(id)}. It only moves forward (several tabs
 *                      may share it), except after a resync.
 *  options.storageKey  the Web Storage key; default "orderalert.lastAlertId".
 *  options.backoff     {minMs: 250, maxMs: 3000}.
 *
 * Connection: { sid, status, lastAlertId, reportState(state), close() }. close() is final: connect()
 * again to resume. reportState({audio, visible}) tells the server whether this screen can be
 * heard and is seen (GET /admin/presence lists it; a shop whose screens are all silent escalates
 * at once): sent as {"type":"state",…} with events on, at most once a second (the last state
 * wins), and again after every reconnect.
 * Callbacks run one frame at a time; one that throws is reported (reportError) and the socket
 * goes on.
 *
 * @typedef {{id: number, type: number, shopId: number, orderId: number|null, orderNumber: string,
 *   content: string, source: string|null, createdAt: string}} Alert
 */

export const version = "1";

/** What getTicket throws when only a fresh login can help (any error with status 401 works). */
export class LoginRequired extends Error {
  constructor(message = "login required") {
    super(message);
    this.name = "LoginRequired";
    this.status = 401;
  }
}

const DEFAULTS = { silenceMs: 60000, backoff: { minMs: 250, maxMs: 3000 }, storageKey: "orderalert.lastAlertId" };
// A socket that has stayed open this long, or has delivered a frame, counts as a success: only
// then does the backoff start again from its minimum, so a server that accepts and at once
// closes (1013) is not hammered every quarter second.
const STABLE_MS = 5000;
// The least time between two state messages (the server allows one a second).
const STATE_MIN_GAP_MS = 1100;
const FINAL = new Set(["closed", "revoked", "unauthorized", "replaced", "stopped"]);

/**
 * The delay before attempt n (0-based): uniformly random up to min(maxMs, minMs·2^n), so that
 * front ends that lost the same server do not all come back in the same millisecond.
 */
export function backoff(attempt, { minMs, maxMs } = DEFAULTS.backoff, random = Math.random) {
  return random() * Math.min(maxMs, minMs * 2 ** attempt);
}

/** fillTemplate fills a kind's template ({orderNumber}, {content}) with an alert's fields. */
export function fillTemplate(template, alert) {
  return String(template)
    .replaceAll("{orderNumber}", alert.orderNumber ?? "")
    .replaceAll("{content}", alert.content ?? "");
}

/** closeAction says what a close code asks of the client (api/asyncapi.yaml). */
export function closeAction(code) {
  if (code === 4401) return "revoked";
  if (code === 4509) return "replaced";
  if (code === 4010) return "resync";
  if (code >= 4500 && code <= 4999) return "stopped";
  return "reconnect";
}

/**
 * connect opens the socket and keeps it open until close() or a final status.
 * @param {object} options see the header
 * @returns {{sid: string, readonly status: string, readonly lastAlertId: number|null, close(): void}}
 */
export function connect(options) {
  return new Connection(options);
}

class Connection {
  #o;
  #store;
  #last; // the newest id handed over (or started from); null: live alerts only
  #attempt = 0;
  #ws = null;
  #status = "";
  #timers = {};
  #state = null; // the screen's last reported {audio, visible}
  #stateSentAt = 0;

  constructor(options = {}) {
    if (typeof options.getTicket !== "function") throw new TypeError("orderalert: getTicket is required");
    if (typeof options.onAlert !== "function") throw new TypeError("orderalert: onAlert is required");
    this.#o = { ...DEFAULTS, events: true, heartbeat: true, ...options, backoff: { ...DEFAULTS.backoff, ...options.backoff } };
    this.sid = options.sid ?? randomSid();
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(this.sid)) throw new TypeError("orderalert: sid must be 1–64 of [A-Za-z0-9_-]");
    this.#store = cursorStore(options.storage, this.#o.storageKey);
    const start = validId(options.lastAlertId) ?? this.#store?.get() ?? null;
    this.#last = start;
    if (start !== null) this.#remember(start);
    this.#open();
  }

  get status() { return this.#status; }
  get lastAlertId() { return this.#last; }

  reportState({ audio, visible }) {
    this.#state = { type: "state", audio: Boolean(audio), visible: Boolean(visible) };
    this.#sendState();
  }

  // The server closes a socket that sends state more often than once a second, so a burst of
  // changes is sent as its last one, a second after the previous message.
  #sendState() {
    const ws = this.#ws;
    if (!this.#o.events || this.#state === null || !ws || ws.readyState !== 1 || this.#timers.state) return;
    const wait = this.#stateSentAt + STATE_MIN_GAP_MS - Date.now();
    if (wait > 0) {
      this.#timers.state = setTimeout(() => { delete this.#timers.state; this.#sendState(); }, wait);
      return;
    }
    this.#stateSentAt = Date.now();
    try { ws.send(JSON.stringify(this.#state)); } catch { /* closing: sent again on the next open */ }
  }

  close() {
    if (this.#final()) return;
    this.#finish("closed", {});
  }

  async #open() {
    if (this.#final()) return;
    if (this.#attempt === 0) this.#report("connecting", {});
    let ticket;
    try {
      ticket = ticketOf(await this.#o.getTicket());
    } catch (error) {
      if (this.#final()) return;
      if (loginRequired(error)) return this.#finish("unauthorized", { error });
      return this.#retry({ cause: "ticket", error });
    }
    if (this.#final()) return;
    let ws;
    try {
      ws = new globalThis.WebSocket(this.#url(ticket));
    } catch (error) {
      return this.#finish("stopped", { error }); // a baseUrl no socket can be opened to
    }
    this.#ws = ws;
    // A handshake that hangs (a dead link, a stalled proxy) is given up like a silent socket.
    this.#timers.silence = setTimeout(() => this.#retry({ cause: "timeout" }), this.#o.silenceMs);
    ws.onopen = () => {
      this.#report("open", {});
      this.#sendState();
      this.#timers.stable = setTimeout(() => { this.#attempt = 0; }, STABLE_MS);
      this.#watch();
    };
    ws.onmessage = (event) => {
      this.#attempt = 0;
      this.#watch();
      this.#receive(event.data);
    };
    ws.onclose = (event) => this.#closed(ws, event.code, event.reason);
  }

  #url(ticket) {
    const base = this.#o.baseUrl ?? globalThis.location?.origin;
    if (!base) throw new TypeError("orderalert: baseUrl is required outside a page");
    const url = new URL(base, globalThis.location?.href);
    url.protocol = { "https:": "wss:", "http:": "ws:" }[url.protocol] ?? url.protocol;
    url.pathname = `${url.pathname.replace(/\/+$/, "")}/ws/${this.sid}`;
    url.search = "";
    url.hash = "";
    const q = url.searchParams;
    q.set("ticket", ticket);
    if (this.#last !== null) q.set("lastAlertId", String(this.#last));
    if (this.#o.heartbeat || this.#o.events) q.set("heartbeat", "1");
    if (this.#o.events) q.set("events", "1");
    for (const id of this.#o.shopIds ?? []) q.append("shopId", String(id));
    return url.href;
  }

  #receive(data) {
    let frame;
    try { frame = JSON.parse(data); } catch { return; }
    if (frame === null || typeof frame !== "object") return;
    const isEvent = typeof frame.event === "string";
    const isAlert = !isEvent && Number.isInteger(frame.type) && frame.type >= 1 && Number.isInteger(frame.id);
    if (!isEvent && !isAlert) return; // {"type":0} is the heartbeat; unknown frames are skipped
    if (Number.isInteger(frame.id)) {
      if (this.#last !== null && frame.id <= this.#last) return; // handed over before a reconnect
      this.#last = frame.id;
      this.#remember(frame.id);
    }
    if (isAlert) safely(this.#o.onAlert, frame);
    else if (this.#o.onEvent) safely(this.#o.onEvent, frame);
  }

  async #closed(ws, code, reason) {
    if (ws !== this.#ws || this.#final()) return;
    this.#drop();
    const detail = { code, reason };
    switch (closeAction(code)) {
      case "revoked": return this.#finish("revoked", detail);
      case "replaced": return this.#finish("replaced", detail);
      case "stopped": return this.#finish("stopped", detail);
      case "resync": await this.#resync(); break;
    }
    this.#retry({ ...detail, cause: "closed" });
  }

  // After 4010 the server's log is behind what was handed over (a restored database): start
  // again from where the caller says, or from live alerts.
  async #resync() {
    let next = null;
    if (this.#o.onResync) {
      try { next = validId(await this.#o.onResync()); } catch { return; } // retried as it was
    }
    this.#last = next;
    if (next !== null) this.#store?.set(next);
  }

  #retry(detail) {
    if (this.#final()) return;
    this.#drop();
    const delayMs = backoff(this.#attempt++, this.#o.backoff);
    this.#report("reconnecting", { ...detail, attempt: this.#attempt, delayMs });
    this.#timers.retry = setTimeout(() => this.#open(), delayMs);
  }

  // A socket silent for too long is abandoned at once rather than closed politely: its close
  // handshake could wait as long as the dead link it is on.
  #watch() {
    clearTimeout(this.#timers.silence);
    if (!this.#o.heartbeat && !this.#o.events) return; // the server sends nothing between alerts
    this.#timers.silence = setTimeout(() => this.#retry({ cause: "silence" }), this.#o.silenceMs);
  }

  // #drop forgets the current socket: it can no longer deliver or report anything.
  #drop() {
    for (const t of Object.values(this.#timers)) clearTimeout(t);
    this.#timers = {};
    const ws = this.#ws;
    this.#ws = null;
    if (!ws) return;
    ws.onopen = ws.onmessage = ws.onclose = null;
    try { ws.close(1000); } catch { /* already closed */ }
  }

  #remember(id) {
    if (!this.#store) return;
    const stored = this.#store.get();
    if (stored === null || id > stored) this.#store.set(id);
  }

  #finish(status, detail) {
    this.#drop();
    this.#report(status, detail);
  }

  #final() { return FINAL.has(this.#status); }

  #report(status, detail) {
    this.#status = status;
    if (this.#o.onStatus) safely(this.#o.onStatus, status, detail);
  }
}

function ticketOf(answer) {
  const ticket = typeof answer === "string" ? answer : answer?.ticket;
  if (typeof ticket !== "string" || ticket === "") throw new Error("getTicket gave no ticket");
  return ticket;
}

function loginRequired(error) {
  return error instanceof LoginRequired || error?.status === 401 || error?.response?.status === 401;
}

function validId(v) {
  return Number.isSafeInteger(v) && v >= 0 ? v : null;
}

// cursorStore adapts a Web Storage or a {get, set} object to {get() → id|null, set(id)}.
function cursorStore(storage, key) {
  if (!storage) return null;
  if (typeof storage.getItem === "function") {
    return {
      get: () => { const raw = storage.getItem(key); return raw === null ? null : validId(Number(raw)); },
      set: (id) => storage.setItem(key, String(id)),
    };
  }
  if (typeof storage.get === "function" && typeof storage.set === "function") {
    return { get: () => validId(storage.get()), set: (id) => storage.set(id) };
  }
  throw new TypeError("orderalert: storage must be a Web Storage or {get, set}");
}

function randomSid() {
  const raw = globalThis.crypto?.randomUUID?.() ?? `${Date.now()}${Math.random()}`;
  return raw.replace(/[^A-Za-z0-9_-]/g, "").slice(0, 64);
}

// A callback that throws must not stop the socket: its error is reported, not swallowed.
function safely(fn, ...args) {
  try { fn(...args); } catch (err) {
    if (typeof globalThis.reportError === "function") globalThis.reportError(err);
    else console.error(err);
  }
}
