/**
 * Every screen at the counter's screen sizes (1280×800, 1366×768, 1024×768) in a real Chromium, with
 * a long name and amounts in the millions: no button, field or text block may be clipped by the
 * viewport or by a parent that hides its overflow, and none may overlap another (a toast over the
 * error banner, "Sign out" under a chip, check fields over each other's errors). Content inside a
 * scrolling area may lie below the fold: it can be scrolled to. Screenshots go to
 * test-results/screens/layout-*.png.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { closeAll, openInChromium, type RunningCounter, startCounter } from '../support/counter.js';
import { openAccount, openTillInUi, screenshot, signIn } from '../support/counter.js';

const SIZES = [
  { width: 1280, height: 800 },
  { width: 1366, height: 768 },
  { width: 1024, height: 768 },
];

const BIG = '1999000042';
const LONG_NAME = 'Maximiliana Konstantinopoulou-Wojciechowska-Vanderbilt Holdings & Sons International';
const LONG_ADDRESS =
  '98765 North Westmoreland Boulevard Extension, Building C, Suite 4400, Springfield Heights';

let counter: RunningCounter;
let browser: Browser;
let page: Page;

type Problem = string;

/** Runs in the page: every visible button, field and text block, checked against the viewport, clipping parents and each other. */
function findLayoutProblems(): Problem[] {
  const SELECTOR =
    'button, input, select, textarea, a[href], [role="button"], h1, h2, h3, p, pre, label, .banner, .toast, .money, .chip, th, td, li, kbd, .key, [role="alert"], [data-testid]';
  const vw = window.innerWidth;
  const vh = window.innerHeight;
  const name = (el: Element): string => {
    const id = el.getAttribute('data-testid');
    const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
    return `<${el.tagName.toLowerCase()}${id ? ` data-testid=${id}` : ''}${el.className && typeof el.className === 'string' ? ` class="${el.className}"` : ''}> "${text}"`;
  };
  const st0 = (el: Element): CSSStyleDeclaration => getComputedStyle(el);
  const visible = (el: Element): boolean => {
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) return false;
    const s = getComputedStyle(el);
    return s.visibility !== 'hidden' && s.display !== 'none' && Number(s.opacity) > 0;
  };
  const els = [...document.querySelectorAll(SELECTOR)].filter(visible);
  const problems: Problem[] = [];
  const clipParents = new Map<Element, { scrolls: boolean; rect: DOMRect }[]>();
  const seen = new Map<Element, { left: number; top: number; right: number; bottom: number }>();
  for (const el of els) {
    const r = el.getBoundingClientRect();
    const parents: { scrolls: boolean; rect: DOMRect }[] = [];
    let scrolled = false;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const s = getComputedStyle(p);
      const ov = `${s.overflowX} ${s.overflowY}`;
      if (/auto|scroll/.test(ov)) {
        scrolled = true;
        parents.push({ scrolls: true, rect: p.getBoundingClientRect() });
        break;
      }
      if (/hidden|clip/.test(ov)) parents.push({ scrolls: false, rect: p.getBoundingClientRect() });
    }
    clipParents.set(el, parents);
    // What of it can be seen: its box cut to every ancestor that clips or scrolls (content below
    // the fold of a scrolling area is not on top of whatever lies below that area).
    let v = { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (!/auto|scroll|hidden|clip/.test(`${s.overflowX} ${s.overflowY}`)) continue;
      const pr = p.getBoundingClientRect();
      v = {
        left: Math.max(v.left, pr.left),
        top: Math.max(v.top, pr.top),
        right: Math.min(v.right, pr.right),
        bottom: Math.min(v.bottom, pr.bottom),
      };
    }
    seen.set(el, v);
    for (const p of parents) {
      if (p.scrolls) break;
      if (
        r.left < p.rect.left - 1 ||
        r.right > p.rect.right + 1 ||
        r.top < p.rect.top - 1 ||
        r.bottom > p.rect.bottom + 1
      )
        problems.push(`clipped by its parent: ${name(el)}`);
    }
    // Text wider than the box it sits in (a long name, a big amount) spills over what is beside it.
    const box = el.parentElement?.getBoundingClientRect();
    const placed = /fixed|absolute/.test(st0(el).position);
    if (
      box &&
      !placed &&
      !(el instanceof HTMLInputElement) &&
      (r.right > box.right + 1 || r.left < box.left - 1)
    )
      problems.push(`wider than its box: ${name(el)}`);
    // Text cut off inside the element itself (no ellipsis on purpose).
    const st = getComputedStyle(el);
    if (
      !(
        el instanceof HTMLInputElement ||
        el instanceof HTMLSelectElement ||
        el instanceof HTMLTextAreaElement
      ) &&
      st.overflowX !== 'visible' &&
      st.textOverflow !== 'ellipsis' &&
      el.scrollWidth > el.clientWidth + 1
    )
      problems.push(`text cut off inside: ${name(el)}`);
    if (!scrolled && (r.left < -1 || r.top < -1 || r.right > vw + 1 || r.bottom > vh + 1))
      problems.push(`outside the ${vw}×${vh} viewport: ${name(el)}`);
  }
  // A panel that scrolls sideways hides part of every line (a long name, a wide table).
  for (const el of document.querySelectorAll('body *')) {
    if (!visible(el) || !/auto|scroll/.test(st0(el).overflowX)) continue;
    if (el.scrollWidth > el.clientWidth + 1) problems.push(`scrolls sideways: ${name(el)}`);
  }
  // Overlaps: any two that are not inside one another. A modal dialog covers the screen on purpose.
  const modal = document.querySelector('[aria-modal="true"]');
  const checked = (modal ? els.filter((e) => modal.contains(e)) : els).filter((e) => {
    const v = seen.get(e);
    return v && v.right - v.left > 2 && v.bottom - v.top > 2;
  });
  for (let i = 0; i < checked.length; i++) {
    const a = checked[i] as Element;
    const ra = seen.get(a) as { left: number; top: number; right: number; bottom: number };
    for (let j = i + 1; j < checked.length; j++) {
      const b = checked[j] as Element;
      if (a.contains(b) || b.contains(a)) continue;
      const rb = seen.get(b) as { left: number; top: number; right: number; bottom: number };
      const w = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
      const h = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
      if (w > 2 && h > 2) problems.push(`overlap: ${name(a)} and ${name(b)}`);
    }
  }
  return [...new Set(problems)];
}

/** Checks the screen as it is now at every size and saves a screenshot of each. */
async function checkScreen(label: string): Promise<void> {
  const found: string[] = [];
  for (const size of SIZES) {
    await page.setViewportSize(size);
    // Let the layout settle (fonts, a re-render after resize) before measuring.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await screenshot(page, `layout-${label}-${size.width}x${size.height}`);
    for (const p of await page.evaluate(findLayoutProblems)) found.push(`${size.width}×${size.height} ${p}`);
  }
  await page.setViewportSize(SIZES[0] as (typeof SIZES)[number]);
  expect.soft(found, label).toEqual([]);
}

beforeAll(async () => {
  counter = await startCounter();
  await counter.host.ctx.db('accounts').insert({
    account_number: BIG,
    name: LONG_NAME,
    class: 'commercial',
    status: 'active',
    service_address: LONG_ADDRESS,
    phone: '(217) 555-0199',
    phone_digits: '2175550199',
    cash_only: 0,
    balance_cents: 987_654_321,
    deposit_held_cents: 123_456_789,
    version: 0,
    as_of: '2026-11-25T00:00:00Z',
  });
  ({ browser, page } = await openInChromium(counter));
});

afterAll(() => closeAll(browser, counter));

describe('every screen fits 1280×800, 1366×768 and 1024×768 with long names and millions', () => {
  it('sign-in and open till', async () => {
    await checkScreen('sign-in');
    await signIn(page);
    await page.getByTestId('open-till').waitFor();
    await checkScreen('open-till');
    await openTillInUi(page);
  });

  it('lookup with results', async () => {
    await page.getByTestId('search').fill('maxim');
    await page.getByTestId('result').first().waitFor();
    await checkScreen('lookup');
  });

  it('payment: check fields with their errors, the form error and a toast', async () => {
    await openAccount(page, BIG);
    await page.keyboard.press('F3');
    await page.getByTestId('tender-0-amount').fill('9876543.21');
    await page.getByTestId('tender-0-routing').fill('123456789');
    await page.getByTestId('tender-0-bank-account').fill('12');
    await page.keyboard.press('Enter');
    await page.getByTestId('form-error').waitFor();
    // A scan nobody knows: its message comes as a toast while the form error shows.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.type('ZZ$$99', { delay: 1 });
    await page.keyboard.press('Enter');
    await page.getByTestId('toast').waitFor();
    await checkScreen('payment-errors');
  });

  it('payment: cash with change on the millions account', async () => {
    await page.keyboard.press('Escape');
    await page.getByTestId('amount').fill('987654.32');
    await page.keyboard.press('F2');
    await page.getByTestId('tender-0-amount').fill('999999.99');
    await expect.poll(() => page.getByTestId('change-due').textContent()).toContain('12,345.67');
    await checkScreen('payment-cash');
  });

  it('done, with "drop cash" on the till chip', async () => {
    await page.keyboard.press('Enter');
    await page.getByTestId('done').waitFor();
    await expect.poll(() => page.getByTestId('till-status').textContent()).toMatch(/drop cash/);
    await checkScreen('done');
  });

  it('payment: the credit warning and its confirmation', async () => {
    await openAccount(page, '1000042517');
    await page.getByTestId('amount').fill('500');
    await page.keyboard.press('F2');
    await page.getByTestId('credit-warning').waitFor();
    await checkScreen('payment-credit-warning');
    await page.keyboard.press('Enter');
    await page.getByTestId('credit-dialog').waitFor();
    await checkScreen('payment-credit-dialog');
    await page.keyboard.press('Escape');
  });

  it('today and a receipt', async () => {
    await page.keyboard.press('F10');
    await page.getByTestId('today').waitFor();
    await checkScreen('today');
    await page.keyboard.press('Enter');
    await page.getByTestId('receipt-screen').waitFor();
    await checkScreen('receipt');
  });

  it('till menu, drop, paid-out, refund, close till', async () => {
    await page.keyboard.press('F8');
    await page.getByTestId('till-menu').waitFor();
    await checkScreen('till-menu');
    for (const s of ['drop', 'paidOut', 'closeTill']) {
      await page.getByTestId(`till-${s}`).click();
      await checkScreen(`till-${s}`);
      await page.keyboard.press('Escape');
      await page.getByTestId('till-menu').waitFor();
    }
  });

  it('print queue', async () => {
    await page.keyboard.press('F12');
    await checkScreen('print-queue');
  });

  it('deposit and equipment tabs on the long-named account', async () => {
    await openAccount(page, BIG);
    await page.keyboard.press('F6');
    await checkScreen('deposit');
    await page.keyboard.press('F7');
    await page.getByTestId('equipment').waitFor();
    for (const tab of ['order', 'return', 'unreturned', 'stock']) {
      await page.getByTestId(`eq-tab-${tab}`).click();
      await checkScreen(`equipment-${tab}`);
    }
  });

  it('admin: devices and sync', async () => {
    await page.keyboard.press('Control+L');
    await page.getByTestId('cashier-id').waitFor();
    await signIn(page, '9001', '9999');
    await page.keyboard.press('F11');
    await page.getByTestId('device-scanner').waitFor();
    await checkScreen('devices');
    await page.keyboard.press('Control+S');
    await checkScreen('sync');
  });
});
