/**
 * socat pty pairs: two linked pseudo-terminals, like the two ends of a null-modem cable. The counter
 * opens the `near` link as its serial port; the emulator opens the `far` one. "Unplug" = stop socat
 * (both ends hang up; the counter's port gets close/error); "replug" = start it again with the same
 * link paths (new ptys behind them).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export class PtyPair {
  private child: ChildProcess | null = null;

  constructor(
    readonly near: string,
    readonly far: string,
  ) {}

  get running(): boolean {
    return this.child !== null;
  }

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  /** Starts socat and resolves once both links exist and socat is moving data. */
  async start(timeoutMs = 5000): Promise<void> {
    if (this.child) return;
    for (const link of [this.near, this.far]) fs.rmSync(link, { force: true });
    const child = spawn(
      'socat',
      ['-d', '-d', `pty,raw,echo=0,link=${this.near}`, `pty,raw,echo=0,link=${this.far}`],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    this.child = child;
    running.add(child);
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`socat did not start within ${timeoutMs} ms: ${stderr}`));
      }, timeoutMs);
      const check = (): void => {
        if (
          /starting data transfer loop/.test(stderr) &&
          fs.existsSync(this.near) &&
          fs.existsSync(this.far)
        ) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stderr?.on('data', (d: Buffer) => {
        stderr += d.toString();
        check();
      });
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`socat exited (${code}): ${stderr}`));
      });
    });
    child.stderr?.removeAllListeners('data');
    child.stderr?.resume();
    child.removeAllListeners('exit');
    child.once('exit', () => {
      running.delete(child);
      if (this.child === child) this.child = null;
    });
  }

  /** "Unplug": stops socat; both ends hang up and the links go away. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = null;
    const exited = new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
    await exited;
    clearTimeout(timer);
    running.delete(child);
    for (const link of [this.near, this.far]) fs.rmSync(link, { force: true });
  }
}
