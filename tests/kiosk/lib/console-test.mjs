// console-test.mjs — what the browser tests of the moderator console
// (alternatives-ui, triggers-ui, bureau-ui, labels-ui) share: Debian's Chromium,
// counted checks, every page error and CSP violation collected, and one
// ending (exit 1 on any failure, an exception included).
import fs from 'node:fs';
import path from 'node:path';
import { CHROMIUM_ARGS, ROOT } from './serve.mjs';

const AXE = fs.readFileSync(path.join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');

export async function consoleTest(name) {
  const failures = []; const pageErrors = []; let checks = 0;
  const check = (cond, msg) => {
    checks++;
    if (!cond) { failures.push(msg); console.log(`FAIL ${msg}`); } else console.log(`ok   ${msg}`);
    return cond;
  };
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });

  // A page at url in its own French context (its CSP violations in
  // window.__csp, its errors collected). setup(page) runs before loading.
  async function openPage(url, page_name, { setup, viewport = { width: 1024, height: 900 } } = {}) {
    const ctx = await browser.newContext({ viewport, ignoreHTTPSErrors: true, locale: 'fr-FR' });
    await ctx.addInitScript(() => {
      window.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const page = await ctx.newPage();
    page.on('pageerror', (e) => pageErrors.push(`${page_name}: ${e}`));
    page.on('console', (m) => { if (m.type() === 'error' && !/status of (4\d\d|503)|ERR_FAILED/.test(m.text())) pageErrors.push(`${page_name}: console ${m.text()}`); });
    if (setup) await setup(page);
    await page.goto(url);
    return page;
  }
  // A console page, once its live view is in (the agenda listed).
  async function openConsole(url, page_name, setup) {
    const page = await openPage(url, page_name, { setup });
    await page.waitForSelector('#m-questions li', { timeout: 15000 });
    return page;
  }
  const text = (page, sel) => page.locator(sel).first().innerText();
  // axe-core on the page as it is: no serious or critical violation.
  async function axe(page, what) {
    await page.evaluate(AXE);
    const v = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations
      .map((x) => ({ id: x.id, impact: x.impact, nodes: x.nodes.slice(0, 3).map((n) => n.target.join(' ')) })));
    const bad = v.filter((x) => x.impact === 'serious' || x.impact === 'critical');
    check(bad.length === 0, `axe ${what}: no serious or critical violation ${bad.length ? JSON.stringify(bad) : ''}`);
  }
  const noCsp = async (page, what) => check((await page.evaluate(() => window.__csp)).length === 0, `${what}: no CSP violation`);

  // Runs body, then closes the browser and the servers and ends the test.
  async function runTest(body, servers) {
    try {
      await body();
    } catch (e) {
      failures.push(`exception: ${e && e.stack || e}`);
      console.log(e);
    } finally {
      for (const e of pageErrors) failures.push(`page error: ${e}`);
      await browser.close();
      for (const s of servers) await s.stop();
    }
    if (failures.length) {
      for (const f of failures) console.log(`FAIL ${f}`);
      console.log(`${name}: ${failures.length} failure(s), ${checks} checks`);
      process.exit(1);
    }
    console.log(`${name}: ${checks} checks passed`);
  }
  return { axe, browser, check, text, noCsp, openConsole, openPage, pageErrors, runTest };
}
