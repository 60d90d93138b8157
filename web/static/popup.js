// A popup per open alert that stays until someone handles it — on this screen or any other —
// titled with its kind's name. 知道了 acknowledges the alert; only an alert of orderalert's own
// orders (no source) can open and take (接单) its order, which acknowledges it too; one an
// integrated backend published names an order this service does not keep. A new order whose
// customer listed what they ordered shows the list (宫保鸡丁 ×2  ¥18.00, a line each). Every
// server-provided string is set with textContent, never as HTML.

import { api, Unauthorized } from "./api.js";

const STATUS = { 1: "待付款", 2: "待接单", 3: "已接单", 4: "派送中", 5: "已完成", 6: "已取消" };

export function showPopup(frame, { title, onLoggedOut, ack }) {
  if (popupOf(frame.id)) return popupOf(frame.id);
  const node = document.getElementById("popup-template").content.firstElementChild.cloneNode(true);
  node.dataset.type = String(frame.type);
  node.dataset.alertId = String(frame.id);
  node.querySelector(".title").textContent = title;
  node.querySelector(".content").textContent = frame.content;
  showItems(node.querySelector(".items"), frame.items);
  const error = node.querySelector(".error");
  const guard = (action) => async () => {
    error.textContent = "";
    try { await action(); } catch (err) {
      if (err instanceof Unauthorized) onLoggedOut();
      error.textContent = err.message;
    }
  };
  node.querySelector(".open").addEventListener("click", guard(async () => {
    showDetails(node.querySelector(".details"), await api.order(frame.orderId));
  }));
  node.querySelector(".confirm").addEventListener("click", guard(async () => {
    await api.confirm(frame.orderId);
    node.remove();
  }));
  node.querySelector(".dismiss").addEventListener("click", guard(async () => {
    await ack(frame);
    node.remove();
  }));
  if (frame.source != null || frame.orderId == null) {
    node.querySelector(".open").remove();
    node.querySelector(".confirm").remove();
  }
  document.getElementById("popups").append(node);
  return node;
}

function popupOf(id) {
  return document.querySelector(`#popups .popup[data-alert-id="${CSS.escape(String(id))}"]`);
}

// closePopup removes the alert's popup, if this screen shows one.
export function closePopup(id) {
  popupOf(id)?.remove();
}

// showItems lists what was ordered; the server sends items only on new orders that have them.
// The spaces are for textContent and screen readers; the stylesheet lays the line out.
function showItems(ul, items) {
  if (!Array.isArray(items) || items.length === 0) return;
  for (const item of items) {
    const li = document.createElement("li");
    const name = document.createElement("span");
    name.className = "name";
    name.textContent = String(item.name);
    const number = document.createElement("span");
    number.className = "number";
    number.textContent = `×${item.number}`;
    const amount = document.createElement("span");
    amount.className = "amount";
    amount.textContent = `¥${Number(item.amount).toFixed(2)}`;
    li.append(name, " ", number, "  ", amount);
    ul.append(li);
  }
  ul.hidden = false;
}

function showDetails(dl, order) {
  dl.replaceChildren();
  const rows = [
    ["订单号", order.number], ["状态", STATUS[order.status] || String(order.status)],
    ["金额", `¥${Number(order.amount).toFixed(2)}`], ["备注", order.remark || "—"],
    ["收货人", order.consignee || "—"], ["电话", order.phone || "—"], ["地址", order.address || "—"],
  ];
  for (const [label, value] of rows) {
    const dt = document.createElement("dt");
    const dd = document.createElement("dd");
    dt.textContent = label;
    dd.textContent = value;
    dl.append(dt, dd);
  }
  dl.hidden = false;
}
