import { useEffect, useRef } from 'react';

import { api } from '../api/client.js';
import { AccountPanel } from '../screens/account/AccountPanel.js';
import { SignIn } from '../screens/sign-in/SignIn.js';
import { useCounter } from '../stores/counter.js';
import { useSession } from '../stores/session.js';
import { beep, restoreInput } from './feedback.js';
import { keyFor, scanHandler, screenDecl, signedInChanged, useGate, views } from './modules.js';
import { useSerialScans } from './serial-scans.js';
import { KeyBar } from './KeyBar.js';
import { StatusBar } from './StatusBar.js';
import { Toast } from './Toast.js';
import { focusOf, WedgeDetector, wedgeOptions } from './wedge.js';

async function routeScan(code: string): Promise<void> {
  const counter = useCounter.getState();
  try {
    const route = await api.call('scan.resolve', { code });
    switch (route.kind) {
      case 'account':
        await counter.openAccount(route.accountNumber, route.amountDueCents);
        return;
      case 'receipt':
        await counter.showReceipt(route.receiptNumber);
        return;
      case 'gtin':
      case 'serial': {
        const handle = scanHandler(route.kind);
        if (handle) return await handle(route.code);
        beep(440);
        counter.notify('error', `Nothing on this counter takes the code ${route.code}.`);
        return;
      }
      case 'unknown':
        beep(440);
        counter.notify('error', route.message);
        return;
    }
  } catch (err) {
    beep(440);
    counter.notify('error', err instanceof Error ? err.message : String(err));
  }
}

function useGlobalKeys(signedIn: boolean): void {
  const framing = useSession((s) => s.status?.scanner.wedge);
  const wedge = useRef(new WedgeDetector(wedgeOptions(framing)));
  useEffect(() => {
    wedge.current = new WedgeDetector(wedgeOptions(framing));
  }, [framing]);
  useEffect(() => {
    if (!signedIn) return;
    const onKey = (e: KeyboardEvent): void => {
      const verdict = wedge.current.key(
        { key: e.key, time: e.timeStamp, ctrl: e.ctrlKey, alt: e.altKey, meta: e.metaKey },
        focusOf(document.activeElement),
      );
      if (verdict.kind !== 'pass') {
        e.preventDefault();
        e.stopPropagation();
      }
      if (verdict.kind === 'swallow') return;
      if (verdict.kind === 'scan') {
        if (verdict.restore) restoreInput(verdict.restore.el, verdict.restore.value);
        void routeScan(verdict.code);
        return;
      }
      const c = useCounter.getState();
      if (c.askCredit) {
        if (e.key === 'Enter') {
          e.preventDefault();
          c.answerCredit(true);
        } else if (e.key === 'Escape') {
          e.preventDefault();
          c.answerCredit(false);
        }
        return;
      }
      // Every other global key is declared by its module (modules.ts); the key bar shows the same list.
      const decl = keyFor(e, c.screen);
      if (decl) {
        e.preventDefault();
        decl.perform();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [signedIn]);
}

function useIdleLock(seconds: number | undefined, signedIn: boolean): void {
  useEffect(() => {
    if (!signedIn || !seconds) return;
    let timer = window.setTimeout(lock, seconds * 1000);
    function lock(): void {
      void useSession.getState().signOut();
      useCounter.getState().reset();
    }
    const touch = (): void => {
      window.clearTimeout(timer);
      timer = window.setTimeout(lock, seconds * 1000);
    };
    window.addEventListener('keydown', touch, true);
    window.addEventListener('pointerdown', touch, true);
    return () => {
      window.clearTimeout(timer);
      window.removeEventListener('keydown', touch, true);
      window.removeEventListener('pointerdown', touch, true);
    };
  }, [seconds, signedIn]);
}

export function App(): React.JSX.Element {
  const state = useSession((s) => s.state);
  const connected = useSession((s) => s.connected);
  const screen = useCounter((s) => s.screen);
  const account = useCounter((s) => s.account);
  const signedIn = Boolean(state?.cashier);
  const gate = useGate(screen, state?.cashier?.role);

  useEffect(() => {
    void useSession.getState().load();
  }, []);
  useEffect(() => {
    if (signedIn) void useSession.getState().refreshStatus();
    else useCounter.getState().reset();
    signedInChanged(signedIn);
  }, [signedIn]);
  useGlobalKeys(signedIn);
  useSerialScans(signedIn, routeScan);
  useIdleLock(state?.idleLockSeconds, signedIn);

  if (!connected) {
    return (
      <div className="fatal" data-testid="service-down">
        The counter service stopped. Reconnecting… (if this stays, restart Countertop)
      </div>
    );
  }
  if (!state) return <div className="loading">Starting…</div>;
  if (!state.cashier) return <SignIn terminal={state.terminal} />;

  const shown = gate ?? screen;
  const showAccount = account && !gate && screenDecl(screen)?.withAccount;
  return (
    <div className="app">
      <StatusBar />
      <main className={showAccount ? 'work with-account' : 'work'}>
        {showAccount && <AccountPanel account={account} />}
        <section className="task">
          {views.map(({ id, view: View }) => id === shown && <View key={id} />)}
        </section>
      </main>
      <KeyBar />
      <Toast />
    </div>
  );
}
