import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { REPO_ROOT } from '../../scripts/lib/directus-env.ts';

/** Debian's Chromium: playwright-core drives it, but never downloads a browser of its own. */
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Where tests leave screenshots for a person to look at; ignored by git. */
export const ARTIFACTS_DIR = join(REPO_ROOT, 'test-artifacts');

// --no-sandbox: tests run as root. The network flags keep Chromium from calling out to
// Google's services, which a closed network refuses, many connections at a time.
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const open: Browser[] = [];

/** A page in a new headless Chromium with an empty profile; closeBrowsers() ends it. */
export async function openPage(): Promise<Page> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: test/support/ensure-chromium.sh installs it`);
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  open.push(browser);

  return browser.newPage({ viewport: { width: 1400, height: 1000 } });
}

/** Closing the browser ends its processes; call it in afterEach. */
export async function closeBrowsers(): Promise<void> {
  await Promise.all(open.splice(0).map((browser) => browser.close()));
}

/** A picture of a page or one element of it, in test-artifacts/. */
export async function saveScreenshot(target: Page | Locator, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, name);
  await target.screenshot({ path });

  return path;
}
