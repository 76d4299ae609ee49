/** A short beep for an unknown scan or a refused action (the counter is noisy: sound helps). */
let ctx: AudioContext | null = null;

export function beep(frequency = 880, ms = 160): void {
  try {
    ctx ??= new AudioContext();
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = frequency;
    gain.gain.value = 0.08;
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + ms / 1000);
  } catch {
    // no audio device: the on-screen message is enough
  }
}

/** Puts an input back to a value and lets React know (used to take scanned text out of a field). */
export function restoreInput(el: Element | null, value: string | null): void {
  if (!(el instanceof HTMLInputElement) || value === null) return;
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
  setter?.call(el, value);
  el.dispatchEvent(new Event('input', { bubbles: true }));
}
