// A real browser looks at the example manual: build it, serve it over HTTP,
// open it in Debian's Chromium (driven by playwright-core, which downloads no
// browser of its own), follow links by clicking them, and check each page for
// the basics of an accessible document and for console and page errors.
//
// Without Chromium the suite is skipped (install it with
// `apt-get install chromium`, or point CHROMIUM_PATH at a Chromium binary);
// with REQUIRE_BROWSER=1 (as .ci/run sets it) a missing Chromium is a failure.
import { cpSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from './run-cli.js';
import { tempDir } from './temp.js';

const ROOT = join(import.meta.dirname, '..');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const REQUIRE_BROWSER = Boolean(process.env.REQUIRE_BROWSER) && process.env.REQUIRE_BROWSER !== '0';
const INSTALL_HINT = 'install it with "apt-get install chromium" (Debian), or set CHROMIUM_PATH to a Chromium binary';

// Flags for a machine with no network: without the background-networking ones
// Chromium keeps trying to reach Google's services and logs refused connections.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

if (!HAVE_CHROMIUM && !REQUIRE_BROWSER) {
  console.warn(`test/browser.test.ts: skipped, no Chromium at ${CHROMIUM}: ${INSTALL_HINT}.`);
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
};

/** A static file server for one folder, on 127.0.0.1 and an ephemeral port. */
async function serve(folder: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    const file = normalize(join(folder, path.endsWith('/') ? `${path}index.html` : path));
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    if (!file.startsWith(folder + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(req.method === 'HEAD' ? undefined : readFileSync(file));
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', done);
  });
  const { port } = server.address() as AddressInfo;
  return { server, origin: `http://127.0.0.1:${port}` };
}

/** Everything that went wrong while a page was open: console errors, uncaught exceptions, failed requests. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const url = msg.location().url || page.url();
    // Chromium asks every site for /favicon.ico on its own; the pages link no
    // icon, so that probe's 404 is the browser's, not the manual's.
    if (new URL(url).pathname === '/favicon.ico') return;
    errors.push(`console: ${msg.text()} (${url})`);
  });
  page.on('pageerror', (err) => errors.push(`page error: ${err.message} (${page.url()})`));
  page.on('requestfailed', (req) => errors.push(`request failed: ${req.url()} ${req.failure()?.errorText ?? ''}`));
  page.on('response', (res) => {
    if (res.status() >= 400) errors.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  return errors;
}

/** The checks every page of the manual must pass. */
async function checkPage(page: Page, kind: 'index' | 'policy'): Promise<void> {
  const where = page.url();
  expect(await page.locator('html').getAttribute('lang'), `html[lang] on ${where}`).toMatch(/\S/);
  expect((await page.title()).trim(), `<title> of ${where}`).not.toBe('');
  await expect.poll(() => page.locator('h1').count(), { message: `one h1 on ${where}` }).toBe(1);
  expect((await page.locator('h1').innerText()).trim(), `h1 text on ${where}`).not.toBe('');
  expect(await page.getByRole('main').count(), `main landmark on ${where}`).toBe(1);
  if (kind === 'policy') {
    const nav = page.getByRole('navigation');
    expect(await nav.count(), `nav landmark on ${where}`).toBeGreaterThanOrEqual(1);
    expect(await nav.locator('a[href="index.html"]').count(), `nav links the index on ${where}`).toBe(1);
  }
  const ids = await page.locator('[id]').evaluateAll((els) => els.map((e) => (e as unknown as { id: string }).id));
  const duplicates = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
  expect(duplicates, `duplicate ids on ${where}`).toEqual([]);
}

describe.skipIf(!HAVE_CHROMIUM && !REQUIRE_BROWSER)('the example manual in Chromium', () => {
  let dir: string;
  let out: string;
  let server: Server | undefined;
  let origin: string;
  let browser: Browser | undefined;

  beforeAll(async () => {
    if (!HAVE_CHROMIUM) {
      throw new Error(`REQUIRE_BROWSER is set but there is no Chromium at ${CHROMIUM}: ${INSTALL_HINT}.`);
    }
    dir = tempDir('sro-browser-');
    cpSync(join(ROOT, 'examples', 'district.yaml'), join(dir, 'district.yaml'));
    cpSync(join(ROOT, 'examples', 'policies'), join(dir, 'policies'), { recursive: true });
    const built = await runInProcess(['build', 'district.yaml'], dir);
    expect(built.code, built.stderr).toBe(0);
    out = join(dir, 'out');
    ({ server, origin } = await serve(out));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (server) await new Promise<void>((done) => server!.close(() => done()));
    if (dir && process.env.KEEP_BROWSER_TMP) console.warn(`test/browser.test.ts: kept ${dir}`);
    else if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('opens the index and a policy, follows a cf. link and an index link', async () => {
    const context = await browser!.newContext({ viewport: { width: 1000, height: 800 } });
    const page = await context.newPage();
    const errors = watchErrors(page);
    try {
      // The index.
      await page.goto(`${origin}/index.html`);
      await checkPage(page, 'index');
      await expect.poll(() => page.locator('h1').innerText()).toBe('Vellmoor Board of Education Policy Manual');

      // 5142.4, its screenshot, and a cf. link to 5142 in the manual.
      await page.goto(`${origin}/5142.4.html`);
      await checkPage(page, 'policy');
      expect(await page.locator('h1').innerText()).toBe('School Resource Officer');
      expect(await page.locator('header.letterhead').count()).toBe(1);
      expect(await page.locator('body > footer').count()).toBe(1);

      const shot = join(dir, '5142.4.png');
      await page.screenshot({ path: shot, fullPage: true });
      const png = readFileSync(shot);
      expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
      expect(png.length).toBeGreaterThan(10_000);

      await page.locator('ul.cf a', { hasText: '5142 - Safety' }).click();
      await page.waitForURL(`${origin}/5142.html`);
      await checkPage(page, 'policy');
      expect(await page.locator('h1').innerText()).toBe('Safety');

      // Back to the index through the nav, then into another policy from the index.
      await page.getByRole('navigation').getByRole('link', { name: 'Policy manual index' }).click();
      await page.waitForURL(`${origin}/index.html`);
      await checkPage(page, 'index');
      await page.locator('table.policies a', { hasText: '5145.12' }).click();
      await page.waitForURL(`${origin}/5145.12.html`);
      await checkPage(page, 'policy');
      expect(await page.locator('h1').innerText()).toBe('Search and Seizure');

      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('opens the HTML redline of two configs and follows the summary to a policy redline', async () => {
    // The same manual with one alternative switched, an option dropped and a school level removed.
    const changed = readFileSync(join(dir, 'district.yaml'), 'utf8')
      .replace('goals: shared-goals', 'goals: sro-goals')
      .replace('duty-community-liaison: true', 'duty-community-liaison: false')
      .replace('school-levels: [high, middle]', 'school-levels: [high]');
    writeFileSync(join(dir, 'new.yaml'), changed);
    const diff = await runInProcess(['diff', 'district.yaml', 'new.yaml', '--out', 'out/redline'], dir);
    expect(diff.code, diff.stderr).toBe(0);
    const context = await browser!.newContext({ viewport: { width: 1000, height: 800 } });
    const page = await context.newPage();
    const errors = watchErrors(page);
    try {
      await page.goto(`${origin}/redline/redline.html`);
      await checkPage(page, 'index');
      expect(await page.locator('h1').innerText()).toBe('Redline summary');
      await page.locator('table a', { hasText: '5142.4' }).click();
      await page.waitForURL(`${origin}/redline/5142.4.redline.html`);
      await checkPage(page, 'index');
      expect(await page.locator('h1').innerText()).toBe('Redline: 5142.4 School Resource Officer');
      expect(await page.locator('del', { hasText: 'Operating as a liaison between the community and the District.' }).count()).toBe(1);
      expect(await page.locator('ins').count()).toBeGreaterThan(0);
      // Struck and inserted text stay visible in print, where the board reads them.
      await page.emulateMedia({ media: 'print' });
      const struck = await page
        .locator('del')
        .first()
        .evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { textDecorationLine: string } }).getComputedStyle(el).textDecorationLine);
      expect(struck).toContain('line-through');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
