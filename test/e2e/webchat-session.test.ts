import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app/start.js';
import { createChatLink } from '../../src/channels/webchat/tokens.js';
import { ApiKeyService } from '../../src/domain/auth/service.js';
import { fixedClock } from '../../src/lib/clock.js';
import { createLogger } from '../../src/lib/logger.js';
import { testConfig } from '../helpers/db.js';
import { launchChromium } from '../helpers/browser.js';

const OUTPUT = path.resolve(import.meta.dirname, '../../test-output');
const SECRET = 'browser-session-secret-0123456789abcdefghijklm';
const SESSION_MAX_HOURS = 2;
const BOT_BUBBLE = '.webchat__bubble:not(.webchat__bubble--from-user) .webchat__bubble__content';
// The server's time stands still until the test moves it; the browser keeps its own.
const clock = fixedClock(new Date());

let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  fs.mkdirSync(OUTPUT, { recursive: true });
  const config = testConfig({ PORT: '0', WEBCHAT_SECRET: SECRET, CLINIC_NAME: 'Riverside Clinic', WEBCHAT_SESSION_MAX_HOURS: String(SESSION_MAX_HOURS) });
  app = await startApp(config, createLogger('silent'), clock);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('a patient chat session on the Web Chat page', () => {
  it('ends at WEBCHAT_SESSION_MAX_HOURS: the transcript leaves the screen and the page asks for the link again', async () => {
    const { key } = await new ApiKeyService(app.db.repositories.apiKeys, clock).create({ name: 'browser', role: 'admin' }, 'test');
    const call = async (url: string, body: unknown) =>
      (await fetch(`${app.url}${url}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })).json() as Promise<{ id: string }>;
    const team = await call('/api/v1/care-teams', { name: 'Web Team', timeZone: 'UTC' });
    const patient = await call('/api/v1/patients', { name: 'Mia Web', phone: '+15553330002', timeZone: 'UTC', dateOfBirth: '1990-01-01', careTeamId: team.id, consent: { webchat: true } });

    const page = await browser.newPage({ viewport: { width: 390, height: 760 } });
    await page.goto(`${app.url}/chat?link=${createChatLink(SECRET, patient.id, 72, clock.now())}`);
    const input = page.locator('[data-id="webchat-sendbox-input"]');
    await input.fill('hi');
    await input.press('Enter');
    await page.locator(BOT_BUBBLE).filter({ hasText: /Hi Mia/ }).first().waitFor({ timeout: 45_000 });
    expect(await page.locator('#chat-status').textContent()).toBe('');

    clock.advance(SESSION_MAX_HOURS * 3_600_000); // the next poll (within a second) is refused
    await page.locator('#chat-status').filter({ hasText: /session has ended/ }).waitFor({ timeout: 45_000 });
    expect(await page.locator('#chat-status').textContent()).toMatch(/open your chat link again/);
    expect(await page.locator('#webchat').count()).toBe(0);
    expect(await page.locator('body').textContent()).not.toContain('Mia');
    expect(await page.locator('#emergency').textContent()).toContain('911');
    await page.screenshot({ path: path.join(OUTPUT, 'webchat-session-ended.png') });
    await page.close();
  });
});
