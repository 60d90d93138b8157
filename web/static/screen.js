// This screen as an alarm: armed by a click (browsers play sound only after a user gesture), kept
// awake where the browser has the Screen Wake Lock API, and reported to the server — can it be
// heard (audio), is it seen (visible) — so that a shop whose screens are all silent is escalated
// at once instead of after minutes.

import { chime, soundEnabled, speak, unlock } from "./sound.js";

let lock = null;
let report = () => {};

// SOUND_TEST is spoken when someone arms the screen: hearing it proves the speakers are on.
export const SOUND_TEST = "声音测试：来单时这里会响铃并播报";

export function state() {
  return { audio: soundEnabled(), visible: document.visibilityState === "visible" };
}

// reportTo sends every change of the screen's state with send(state), starting now.
export function reportTo(send) {
  report = () => send(state());
  report();
}

// arm must run inside a click handler. With test, it plays the chime and speaks SOUND_TEST.
export async function arm({ test }) {
  const on = await unlock().catch(() => false);
  if (on && test) {
    chime(1);
    speak(SOUND_TEST);
  }
  await keepAwake();
  report();
  return on;
}

// keepAwake asks for the screen wake lock while the page is visible; the browser releases it
// when the page is hidden, so it is asked again when the page comes back.
async function keepAwake() {
  if (!("wakeLock" in navigator) || document.visibilityState !== "visible" || (lock && !lock.released)) return;
  try {
    lock = await navigator.wakeLock.request("screen");
  } catch {
    lock = null; // refused (battery saver, no permission): the screen may sleep
  }
}

export function awake() { return Boolean(lock && !lock.released); }

document.addEventListener("visibilitychange", () => {
  if (soundEnabled()) keepAwake();
  report();
});
