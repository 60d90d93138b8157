// What each kind of alert is called and how it sounds comes from the server (GET
// /admin/alert-kinds), never from this page: a kind an operator creates (`orderalert kind
// create`) shows its name and speaks its sentence with no change here, even on a page opened
// before it existed — an alert of a code the page does not know reloads the list once.

import { fillTemplate } from "/sdk/orderalert.js";
import { api } from "./api.js";

let kinds = new Map(); // code → {code, name, contentTemplate, speechTemplate, builtin}
const reloadedFor = new Set(); // codes that already caused a reload: once each

export async function loadKinds() {
  const list = await api.alertKinds();
  kinds = new Map(list.map((k) => [k.code, k]));
}

// know makes sure the alert's kind is loaded if the server has it. It never throws, and waits
// at most RELOAD_WAIT_MS: an alert rings late rather than never, with a plain name and sentence.
const RELOAD_WAIT_MS = 3000;
export async function know(code) {
  if (kinds.has(code) || reloadedFor.has(code)) return;
  reloadedFor.add(code);
  const late = new Promise((resolve) => { setTimeout(resolve, RELOAD_WAIT_MS); });
  await Promise.race([loadKinds().catch(() => {}), late]);
}

export function kindName(alert) {
  return kinds.get(alert.type)?.name || "提醒";
}

export function sentence(alert) {
  const kind = kinds.get(alert.type);
  if (kind) return fillTemplate(kind.speechTemplate, alert);
  return alert.content ? `您有新的提醒：${alert.content}` : "您有新的提醒";
}
