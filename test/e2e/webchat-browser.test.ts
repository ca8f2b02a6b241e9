import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app/start.js';
import { createChatLink } from '../../src/channels/webchat/tokens.js';
import { ApiKeyService } from '../../src/domain/auth/service.js';
import { systemClock } from '../../src/lib/clock.js';
import { createLogger } from '../../src/lib/logger.js';
import { testConfig } from '../helpers/db.js';
import { launchChromium } from '../helpers/browser.js';

const OUTPUT = path.resolve(import.meta.dirname, '../../test-output');
const SECRET = 'browser-test-secret-0123456789abcdefghijklmnop';
const BOT_BUBBLE = '.webchat__bubble:not(.webchat__bubble--from-user) .webchat__bubble__content';

let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  fs.mkdirSync(OUTPUT, { recursive: true });
  app = await startApp(testConfig({ PORT: '0', WEBCHAT_SECRET: SECRET, CLINIC_NAME: 'Riverside Clinic' }), createLogger('silent'));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function say(page: Page, text: string): Promise<void> {
  const input = page.locator('[data-id="webchat-sendbox-input"]');
  await input.fill(text);
  await input.press('Enter');
}

/** Waits until a bot bubble contains the pattern (the page polls our Direct Line every second). */
const botSays = (page: Page, pattern: RegExp) => page.locator(BOT_BUBBLE).filter({ hasText: pattern }).first().waitFor({ timeout: 45_000 });

describe('the official Web Chat page on our Direct Line', () => {
  it('lets an anonymous visitor type a message and see the reply', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 760 } });
    await page.goto(`${app.url}/chat`);
    expect(await page.locator('#emergency').textContent()).toContain('911');
    await say(page, 'hello');
    await botSays(page, /do not have a patient record/);
    await page.screenshot({ path: path.join(OUTPUT, 'webchat-anonymous.png') });
    await page.close();
  });

  it('knows a patient who follows their link, and takes emergency words in the middle of a check-in', async () => {
    const keys = new ApiKeyService(app.db.repositories.apiKeys, systemClock);
    const { key } = await keys.create({ name: 'browser', role: 'admin' }, 'test');
    const call = async (url: string, body: unknown) =>
      (await fetch(`${app.url}${url}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })).json() as Promise<{ id: string }>;
    const team = await call('/api/v1/care-teams', { name: 'Web Team', timeZone: 'UTC' });
    const patient = await call('/api/v1/patients', { name: 'Mia Web', phone: '+15553330001', timeZone: 'UTC', dateOfBirth: '1990-01-01', careTeamId: team.id, consent: { webchat: true } });

    const page = await browser.newPage({ viewport: { width: 390, height: 760 } });
    await page.goto(`${app.url}/chat?link=${createChatLink(SECRET, patient.id, 1, new Date())}`);
    await say(page, 'hi');
    await botSays(page, /Hi Mia/);
    await say(page, '1');
    await botSays(page, /scale of 0 to 10/);
    await say(page, 'I have crushing chest pain');
    await botSays(page, /Call 911 now/);
    await page.screenshot({ path: path.join(OUTPUT, 'webchat-patient-emergency.png') });
    await page.close();

    const alerts = await app.db.models.Alert.find({ patientId: patient.id }).lean();
    expect(alerts.map((a) => [a.kind, (a.source as { channel?: string } | undefined)?.channel])).toEqual([['emergency', 'webchat']]);
  });
});
