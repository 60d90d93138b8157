// Sound: a chime from the Web Audio API (no audio files) and a spoken sentence in zh-CN from the
// Web Speech API (the sentence is the alert kind's, kinds.js). Browsers allow audio only after a
// user gesture, so the dashboard shows "开启声音提醒" until a click has unlocked it.

let context = null;

export function soundEnabled() { return context !== null && context.state === "running"; }

// unlock must run inside a click handler.
export async function unlock() {
  context ??= new AudioContext();
  if (context.state !== "running") await context.resume();
  return soundEnabled();
}

// Two rising notes for a new order and three quick high ones for a reminder, which staff learn
// to tell apart by ear; every other kind rings a falling pair (its spoken sentence names it).
const CHIMES = {
  1: [[660, 0, 0.18], [880, 0.2, 0.35]],
  2: [[990, 0, 0.1], [990, 0.15, 0.1], [990, 0.3, 0.1]],
};
const OTHER_CHIME = [[880, 0, 0.18], [660, 0.2, 0.35]];

export function chime(type) {
  if (!soundEnabled()) return false;
  const now = context.currentTime;
  for (const [freq, start, length] of CHIMES[type] || OTHER_CHIME) {
    const osc = context.createOscillator();
    const gain = context.createGain();
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, now + start);
    gain.gain.exponentialRampToValueAtTime(0.4, now + start + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, now + start + length);
    osc.connect(gain).connect(context.destination);
    osc.start(now + start);
    osc.stop(now + start + length + 0.05);
  }
  return true;
}

export function speak(text) {
  if (!("speechSynthesis" in window)) return;
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.lang = "zh-CN";
  window.speechSynthesis.speak(utterance);
}
