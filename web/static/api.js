// The REST calls the dashboard makes, with sky-take-out's envelope ({code, msg, data}) and the
// admin token in the `token` header. A 401 means the token expired or was revoked: the caller
// logs in again.

const TOKEN_KEY = "orderalert.token";
const NAME_KEY = "orderalert.name";

// Unauthorized carries status 401, which is how the socket library (/sdk/orderalert.js) tells
// "log in again" from a failure worth retrying.
export class Unauthorized extends Error {
  status = 401;
}

export const session = {
  get token() { return localStorage.getItem(TOKEN_KEY); },
  get name() { return localStorage.getItem(NAME_KEY) || ""; },
  save(token, name) { localStorage.setItem(TOKEN_KEY, token); localStorage.setItem(NAME_KEY, name); },
  clear() { localStorage.removeItem(TOKEN_KEY); localStorage.removeItem(NAME_KEY); },
};

async function call(method, path, body) {
  const headers = { "Content-Type": "application/json" };
  if (session.token) headers.token = session.token;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  let envelope = null;
  try { envelope = await res.json(); } catch { /* not JSON: handled below */ }
  if (res.status === 401 && path !== "/admin/employee/login") throw new Unauthorized(envelope?.msg || "登录已过期");
  if (!res.ok || !envelope || envelope.code !== 1) throw new Error(envelope?.msg || `请求失败（HTTP ${res.status}）`);
  return envelope.data;
}

export const api = {
  login: (username, password) => call("POST", "/admin/employee/login", { username, password }),
  logout: () => call("POST", "/admin/employee/logout"),
  recentAlerts: (limit = 50) => call("GET", `/admin/alerts?limit=${limit}`),
  openAlerts: () => call("GET", "/admin/alerts?state=open&limit=1000"),
  ack: (id, sid) => call("POST", `/admin/alerts/${encodeURIComponent(id)}/ack`, { sid }),
  dashboardConfig: () => call("GET", "/admin/dashboard-config"),
  ticket: () => call("POST", "/admin/ws/ticket"),
  alertKinds: () => call("GET", "/admin/alert-kinds"),
  order: (id) => call("GET", `/admin/order/details/${encodeURIComponent(id)}`),
  confirm: (id) => call("PUT", "/admin/order/confirm", { id }),
  pushKey: () => call("GET", "/admin/push/key"),
  // The body is JSON.stringify(subscription): the browser's own PushSubscription.toJSON().
  addPushSubscription: (subscription) => call("POST", "/admin/push/subscriptions", subscription),
  removePushSubscription: (endpoint) => call("DELETE", "/admin/push/subscriptions", { endpoint }),
};
