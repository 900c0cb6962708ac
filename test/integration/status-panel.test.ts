import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { closeBrowsers, openPage, saveScreenshot } from '../support/browser';
import { holdBootLock } from '../support/boot-lock';
import { TEST_ADMIN } from '../support/directus-env-for-tests';
import { adminClient, boot, createDatabase, stopAllDirectus } from '../support/directus-under-test';

afterEach(closeBrowsers);
afterEach(stopAllDirectus);

/** Directus's icon buttons have no label; the Material icon name is what a user sees. */
const iconButton = (scope: Page | Locator, icon: string) =>
  scope.locator(`button:has(i[data-icon="${icon}"]), a:has(i[data-icon="${icon}"])`);

async function signIn(page: Page, base: string): Promise<void> {
  await page.goto(`${base}/admin/login`);
  await page.getByRole('textbox', { name: /email/i }).fill(TEST_ADMIN.email);
  await page.locator('input[type=password]').fill(TEST_ADMIN.password);
  await page.locator('input[type=password]').press('Enter');
  await page.waitForURL(/\/admin\/(?!login)/);
}

/** What an administrator does in Insights: a new dashboard, then our panel on it. */
async function addPanelToNewDashboard(page: Page, base: string): Promise<void> {
  await page.goto(`${base}/admin/insights`);
  // A fresh instance asks for its project owner once; "Remind Later" is the user's way past.
  await page.getByRole('button', { name: 'Remind Later' }).click();
  await page.getByRole('button', { name: 'Create Dashboard' }).first().click();
  // The page keeps two copies of the dialog; the one on top is the last.
  await page.getByPlaceholder('Dashboard Name').locator('visible=true').last().fill('Operations');
  await page.getByRole('button', { name: 'Save' }).locator('visible=true').last().click();
  await page.waitForURL(/\/admin\/insights\/[0-9a-f-]{36}$/);

  await iconButton(page.locator('header'), 'edit').click();
  await iconButton(page.locator('header'), 'add').click();
  await page.getByRole('button', { name: 'Database boot status' }).click();
  await iconButton(page, 'check').last().click(); // the panel drawer's save
  await iconButton(page.locator('header'), 'check').first().click(); // the dashboard's save
  await iconButton(page.locator('header'), 'edit').waitFor();
}

const text = (locator: Locator) => () => locator.innerText();

/**
 * A Directus booted on `folder`'s migrations, and the panel as an administrator sees it on a
 * dashboard. The first test adds the panel through the app; here the REST API does, as a
 * provisioning script would.
 */
async function panelOverMigrations(folder: string): Promise<Locator> {
  const database = await createDatabase('bootstrapped');
  const { directus, port } = await boot({ database, env: { BOOT_MIGRATIONS_PATH: folder } });
  await directus.waitUntilServing();
  const dashboard = await addPanelThroughApi(port);
  const base = `http://127.0.0.1:${port}`;
  const page = await openPage();

  await signIn(page, base);
  await page.goto(`${base}/admin/insights/${dashboard}`);
  await page.getByRole('button', { name: 'Remind Later' }).click(); // the project owner dialog

  return page.locator('.boot-status');
}

async function addPanelThroughApi(port: number): Promise<string> {
  const api = await adminClient(port);
  const dashboard = (await api('POST', '/dashboards', { name: 'Operations' })).body.data.id;
  await api('POST', '/panels', {
    dashboard,
    type: 'db-boot-status',
    position_x: 1,
    position_y: 1,
    width: 32,
    height: 34,
    show_header: false,
  });

  return dashboard;
}

describe('Insights panel', () => {
  it('shows an administrator the migrations, the drift after a refresh, and errors', async () => {
    const database = await createDatabase('bootstrapped');
    const { directus, port } = await boot({ database });
    await directus.waitUntilServing();
    const base = `http://127.0.0.1:${port}`;
    const page = await openPage();

    await signIn(page, base);
    await addPanelToNewDashboard(page, base);
    const panel = page.locator('.boot-status');
    const headline = panel.locator('[data-part=headline]');

    await expect.poll(text(headline)).toBe('3 applied · schema in sync');
    const rows = panel.locator('table').first().locator('tbody tr');
    expect(await rows.locator('td:first-child').allInnerTexts()).toEqual([
      '0001-positions.sql',
      '0002-flag-faulty-positions.sql',
      '0003-latest-positions-index.sql',
    ]);
    expect(await rows.locator('.badge').allInnerTexts()).toEqual(['applied', 'applied', 'applied']);
    const lastBoot = panel.locator('[data-part=last-boot]');
    expect(await lastBoot.locator('.badge').innerText()).toBe('ready');
    expect(await lastBoot.innerText()).toMatch(/took [\d.]+ m?s, waited [\d.]+ m?s for the lock/);
    expect(await panel.locator('table.steps td:first-child').allInnerTexts()).toEqual([
      'lock',
      'db-init',
      'schema',
    ]);
    await saveScreenshot(page, 'insights-in-sync.png');

    // A field with meta is one Directus tracks, so the snapshot is now behind the database.
    const api = await adminClient(port);
    await api('POST', '/fields/tags', {
      field: 'extra',
      type: 'string',
      meta: { interface: 'input' },
    });
    await panel.getByRole('button', { name: 'Refresh' }).click();
    // Dropping that column destroys data, so the next boot would refuse it: the panel says so.
    const drifted = '3 applied · schema 1 difference · next boot would fail';
    await expect.poll(text(headline)).toBe(drifted);
    expect(await panel.locator('.drift li').allInnerTexts()).toEqual([
      '- field tags.extra (drops its column)',
    ]);
    expect(await panel.locator('[data-part=refusals] li').allInnerTexts()).toEqual([
      expect.stringMatching(/^schema: \S+schema\.yaml: refused 1 destructive change\(s\)/),
    ]);
    await saveScreenshot(panel, 'panel-drift.png');

    // Another process holds the boot lock: the panel says the status may be about to change.
    const lock = await holdBootLock(database);
    try {
      await panel.getByRole('button', { name: 'Refresh' }).click();
      await expect
        .poll(text(panel.locator('[data-part=lock]')))
        .toMatch(new RegExp(`holds the boot lock \\(backend pid ${lock.pid}\\b`));
    } finally {
      await lock.release();
    }
    await panel.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => panel.locator('[data-part=lock]').count()).toBe(0);

    // The dark theme swaps Directus's theme variables; the panel's text must follow them.
    const textColour = () => panel.evaluate((element) => getComputedStyle(element).color);
    const lightText = await textColour();
    await api('PATCH', '/users/me', { appearance: 'dark' });
    await page.reload();
    await expect.poll(text(headline)).toBe(drifted);
    expect(brightness(await textColour())).toBeGreaterThan(brightness(lightText) + 100);
    await saveScreenshot(panel, 'panel-dark.png');

    // The server goes away: the panel says so and keeps the last status it had.
    await directus.stop();
    await panel.getByRole('button', { name: 'Refresh' }).click();
    await expect
      .poll(text(panel.locator('[data-part=load-error]')))
      .toMatch(/^Cannot reach the server \(Network Error\)\. Below is the status as loaded at /);
    expect(await headline.innerText()).toBe(drifted);
    await saveScreenshot(panel, 'panel-error.png');
  });

  it('says so when there are no migrations at all', async () => {
    const emptyFolder = mkdtempSync(join(inject('scratchDir'), 'no-migrations-'));
    const panel = await panelOverMigrations(emptyFolder);

    await expect
      .poll(text(panel.locator('[data-part=headline]')))
      .toBe('no migrations · schema in sync');
    expect(await panel.innerText()).toContain('No migration files, and none recorded as applied.');
    expect(await panel.locator('table.steps td:nth-child(2)').allInnerTexts()).toContain(
      '0 applied, 0 skipped',
    );
  });

  it('folds the earliest of many applied migrations, and shows them on request', async () => {
    const folder = mkdtempSync(join(inject('scratchDir'), 'many-migrations-'));
    const names = Array.from(
      { length: 14 },
      (_, index) => `${String(index + 1).padStart(4, '0')}-step.sql`,
    );
    for (const name of names) writeFileSync(join(folder, name), 'SELECT 1;\n');
    const panel = await panelOverMigrations(folder);
    const fileCells = panel.locator('table').first().locator('tbody tr td.mono:first-child');

    await expect
      .poll(text(panel.locator('[data-part=headline]')))
      .toBe('14 applied · schema in sync');
    expect(await fileCells.allInnerTexts()).toEqual(names.slice(9));
    // The last boot stays within the panel's first screen, without scrolling.
    const panelBox = (await panel.boundingBox())!;
    const lastBootBox = (await panel.locator('[data-part=last-boot]').boundingBox())!;
    expect(lastBootBox.y + lastBootBox.height).toBeLessThan(panelBox.y + panelBox.height);

    await panel.getByRole('button', { name: 'Show 9 earlier applied migrations' }).click();
    expect(await fileCells.allInnerTexts()).toEqual(names);
  });
});

/** 0 (black) to 255 (white), from a computed `rgb(r, g, b)` colour. */
function brightness(colour: string): number {
  const [red = 0, green = 0, blue = 0] = (colour.match(/\d+/g) ?? []).map(Number);

  return 0.299 * red + 0.587 * green + 0.114 * blue;
}
