import { useEffect, useRef } from 'react';

import type { TenderType } from '../../../shared/api/schemas.js';
import { api } from '../api/client.js';
import { AccountPanel } from '../screens/account/AccountPanel.js';
import { Lookup } from '../screens/lookup/Lookup.js';
import { Done } from '../screens/payment/Done.js';
import { Payment } from '../screens/payment/Payment.js';
import { ReceiptScreen } from '../screens/receipt/ReceiptScreen.js';
import { SignIn } from '../screens/sign-in/SignIn.js';
import { CloseTill } from '../screens/till/CloseTill.js';
import { OpenTill } from '../screens/till/OpenTill.js';
import { DropScreen, PaidOutScreen, RefundScreen, VoidScreen } from '../screens/till/Slips.js';
import { TillMenu } from '../screens/till/TillMenu.js';
import { TillsScreen, ZReportScreen } from '../screens/till/Tills.js';
import { DepositAdmin } from '../screens/deposit/DepositAdmin.js';
import { EquipmentScreen } from '../screens/equipment/EquipmentScreen.js';
import { routeEquipmentScan, useEquipment } from '../screens/equipment/store.js';
import { DepositScreen } from '../screens/deposit/DepositScreen.js';
import { DepositFinalScreen, DepositRefundScreen } from '../screens/deposit/Payout.js';
import { DevicesScreen } from '../screens/devices/DevicesScreen.js';
import { ReprintQueue } from '../screens/devices/ReprintQueue.js';
import { SyncScreen } from '../screens/sync/SyncScreen.js';
import { openSyncScreen } from '../screens/sync/store.js';
import { TodayScreen } from '../screens/today/TodayScreen.js';
import { useCounter } from '../stores/counter.js';
import { useSession } from '../stores/session.js';
import { useTill } from '../stores/till.js';
import { beep, restoreInput } from './feedback.js';
import { useSerialScans } from './serial-scans.js';
import { KeyBar } from './KeyBar.js';
import { StatusBar } from './StatusBar.js';
import { Toast } from './Toast.js';
import { focusOf, WedgeDetector, wedgeOptions } from './wedge.js';

const TENDER_KEYS: Record<string, TenderType> = { F2: 'cash', F3: 'check', F4: 'card', F5: 'money_order' };

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
      case 'serial':
        await routeEquipmentScan(route.kind, route.code);
        return;
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
      const tender = TENDER_KEYS[e.key];
      if (tender) {
        e.preventDefault();
        if (c.screen === 'payment') c.addTender(tender);
        return;
      }
      if (e.ctrlKey && e.key.toLowerCase() === 's' && c.screen !== 'sync') {
        // The sync monitor; on it, the screen's own Ctrl+S syncs now.
        e.preventDefault();
        openSyncScreen();
        return;
      }
      if (e.ctrlKey && e.key.toLowerCase() === 'l') {
        // Lock: sign out, the till stays open for when the cashier comes back.
        e.preventDefault();
        void useSession.getState().signOut();
        return;
      }
      switch (e.key) {
        case 'F6':
          e.preventDefault();
          // The deposit screen works on the open account; a supervisor without one gets the fund screen.
          if (c.account) useCounter.setState({ screen: 'deposit' });
          else if (useSession.getState().state?.cashier?.role === 'supervisor')
            useCounter.setState({ screen: 'depositAdmin' });
          else c.notify('error', 'Open the customer’s account first (F1), then press F6 for its deposit.');
          return;
        case 'F7':
          e.preventDefault();
          useEquipment.getState().open();
          return;
        case 'F8':
          e.preventDefault();
          useCounter.setState({ screen: 'tillMenu' });
          return;
        case 'F1':
          e.preventDefault();
          c.newCustomer();
          return;
        case 'F9':
          e.preventDefault();
          void c.reprint(
            c.screen === 'receipt' || c.screen === 'done'
              ? c.receipt?.receiptNumber
              : c.screen === 'today'
                ? c.today?.payments[c.todaySelected]?.receiptNumber
                : undefined,
          );
          return;
        case 'F10':
          e.preventDefault();
          void c.showToday();
          return;
        case 'F11':
          e.preventDefault();
          if (useSession.getState().state?.cashier?.role === 'admin')
            useCounter.setState({ screen: 'devices' });
          else c.notify('error', 'Devices are set up by an IT admin.');
          return;
        case 'F12':
          e.preventDefault();
          useCounter.setState({ screen: 'reprintQueue' });
          return;
        case 'Escape':
          e.preventDefault();
          c.back();
          return;
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
  const tillOpen = useTill((s) => Boolean(s.current));
  const tillLoaded = useTill((s) => s.loaded);

  useEffect(() => {
    void useSession.getState().load();
  }, []);
  useEffect(() => {
    if (signedIn) {
      void useSession.getState().refreshStatus();
      // A host that goes away mid-load shows as "service stopped"; the reconnect signs out and reloads.
      useTill
        .getState()
        .load()
        .catch(() => undefined);
    } else {
      useCounter.getState().reset();
      useTill.setState({ current: null, loaded: false });
    }
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

  const role = state.cashier.role;
  const needsTill =
    role !== 'admin' &&
    tillLoaded &&
    !tillOpen &&
    (screen === 'lookup' || screen === 'payment' || screen === 'done');
  const showAccount =
    account &&
    !needsTill &&
    (screen === 'payment' ||
      screen === 'done' ||
      screen === 'refund' ||
      screen === 'deposit' ||
      screen === 'depositRefund' ||
      screen === 'depositFinal' ||
      screen === 'equipment');
  return (
    <div className="app">
      <StatusBar />
      <main className={showAccount ? 'work with-account' : 'work'}>
        {showAccount && <AccountPanel account={account} />}
        <section className="task">
          {needsTill && <OpenTill />}
          {screen === 'lookup' && !needsTill && <Lookup />}
          {screen === 'payment' && !needsTill && <Payment />}
          {screen === 'done' && !needsTill && <Done />}
          {screen === 'tillMenu' && <TillMenu />}
          {screen === 'drop' && <DropScreen />}
          {screen === 'paidOut' && <PaidOutScreen />}
          {screen === 'refund' && <RefundScreen />}
          {screen === 'void' && <VoidScreen />}
          {screen === 'closeTill' && <CloseTill />}
          {screen === 'tills' && <TillsScreen />}
          {screen === 'zreport' && <ZReportScreen />}
          {screen === 'today' && <TodayScreen />}
          {screen === 'receipt' && <ReceiptScreen />}
          {screen === 'devices' && <DevicesScreen />}
          {screen === 'reprintQueue' && <ReprintQueue />}
          {screen === 'sync' && <SyncScreen />}
          {screen === 'deposit' && <DepositScreen />}
          {screen === 'depositRefund' && <DepositRefundScreen />}
          {screen === 'depositFinal' && <DepositFinalScreen />}
          {screen === 'depositAdmin' && <DepositAdmin />}
          {screen === 'equipment' && <EquipmentScreen />}
        </section>
      </main>
      <KeyBar />
      <Toast />
    </div>
  );
}
