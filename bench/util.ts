/** Small helpers for the benchmarks: timing, percentiles, a figures table and child servers. */
import type { ChildProcess } from 'node:child_process';
import os from 'node:os';

/**
 * One printed figure. `load` is the 1-minute load average while it was measured (the machine is
 * shared: a figure means little without it); figures that do not set it print the load when printed.
 */
export type Figure = {
  name: string;
  value: number;
  unit: string;
  budget?: string;
  ok?: boolean;
  load?: number;
};

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? NaN;
}

/** The 95th percentile of `samples` (ms), rounded to the microsecond, checked against `budgetMs`. */
export function p95Figure(name: string, samples: number[], budgetMs: number): Figure {
  const p95 = percentile(samples, 95);
  return { name, value: round(p95, 3), unit: 'ms', budget: `< ${budgetMs} ms`, ok: p95 < budgetMs };
}

export async function timeEach<T>(items: T[], fn: (item: T) => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (const item of items) {
    const t0 = process.hrtime.bigint();
    await fn(item);
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return samples;
}

export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export function printFigures(title: string, figures: Figure[]): void {
  console.log(`\n${title}`);
  for (const f of figures) {
    const mark = f.ok === undefined ? '' : f.ok ? '  ok' : '  OVER BUDGET';
    const load = (f.load ?? os.loadavg()[0]!).toFixed(2);
    console.log(
      `  ${f.name.padEnd(58)} ${String(f.value).padStart(10)} ${f.unit.padEnd(8)} load ${load.padStart(5)}  ${f.budget ? `(budget ${f.budget})` : ''}${mark}`,
    );
  }
}

/**
 * A server started as a child process: its output collected, and the URL it prints as
 * `listening on <url>` (rejected if it exits before printing one).
 */
export function listeningChild(
  child: ChildProcess,
  what: string,
): { url: Promise<string>; exited: Promise<void>; output(): string } {
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearInterval(timer);
        resolve(m[1]!);
      } else if (child.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(`${what} did not start:\n${out}`));
      }
    }, 20);
  });
  return { url, exited, output: () => out };
}
