// The alarm: which alerts are still open (nobody acknowledged them), shown in the page's title and
// header, rung again every reringInterval while any is open, and closed on this screen the moment
// an ack arrives from any screen, instance or integration ({"event":"ack"} frames).

const BASE_TITLE = "来单提醒 · orderalert";
const open = new Map(); // alert id → frame, in the order they came (oldest first)
let onChange = () => {};
let rering = null;

export function openCount() { return open.size; }

export function oldestOpen() { return open.values().next().value; }

export function isOpen(id) { return open.has(id); }

// watch calls changed(n) whenever the number of open alerts changes.
export function watch(changed) { onChange = changed; }

export function opened(frame) {
  if (frame.ack || open.has(frame.id)) return;
  open.set(frame.id, frame);
  changed();
}

// closed forgets an alert; it reports whether the alert was open here.
export function closed(id) {
  const was = open.delete(id);
  if (was) changed();
  return was;
}

export function reset() {
  open.clear();
  changed();
}

function changed() {
  document.title = open.size ? `(${open.size}) ${BASE_TITLE}` : BASE_TITLE;
  onChange(open.size);
}

// startReringing calls ring(oldest open alert, count) every intervalMs while any alert is open.
// A ring is skipped while the previous one has not finished (ringing says so).
export function startReringing(intervalMs, ring) {
  stopReringing();
  rering = setInterval(() => {
    if (open.size) ring(oldestOpen(), open.size);
  }, intervalMs);
}

export function stopReringing() {
  clearInterval(rering);
  rering = null;
}

// ackText is what a handled alert says: 已由 张三 接单 12:03 (the time in the screen's zone).
export function ackText(ack) {
  const at = new Date(ack.at).toLocaleTimeString("zh-CN", { hour: "2-digit", minute: "2-digit", hour12: false });
  return ack.by ? `已由 ${ack.by.name} 接单 ${at}` : `已处理 ${at}`;
}
