import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApi, type TestApi } from '../helpers/api.js';

/** A Bot Framework connector stand-in: the CloudAdapter posts replies to serviceUrl/v3/conversations/... */
async function fakeConnector() {
  const replies: { path: string; type?: string; text?: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const activity = body ? (JSON.parse(body) as { type?: string; text?: string }) : {};
      // The Emulator channel also gets dialog-state trace activities; tests look at messages.
      if (activity.type === 'message') replies.push({ path: req.url ?? '', type: activity.type, text: activity.text });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `r${replies.length}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, replies };
}

let api: TestApi;
let connector: Awaited<ReturnType<typeof fakeConnector>>;
let seq = 0;

beforeAll(async () => {
  api = await testApi({ env: { CLINIC_NAME: 'Riverside Clinic' } });
  connector = await fakeConnector();
});

const activity = (conversationId: string, text: string) => ({
  type: 'message',
  id: `act-${++seq}`,
  channelId: 'emulator',
  serviceUrl: connector.url,
  from: { id: 'user-1', name: 'User' },
  recipient: { id: 'bot', name: 'CareLoop' },
  conversation: { id: conversationId },
  text,
});

async function send(body: unknown, remoteAddress = '127.0.0.1') {
  return api.server.inject({ method: 'POST', url: '/api/messages', payload: body as object, remoteAddress });
}

describe('/api/messages (Bot Framework, no app id: local only)', () => {
  it('runs the same bot, with the safety interrupts, and records both directions', async () => {
    const before = connector.replies.length;
    const res = await send(activity('conv-bf-1', 'I think I am having a heart attack'));
    expect(res.statusCode).toBe(200);
    const replies = connector.replies.slice(before);
    expect(replies.map((r) => r.text)).toEqual([expect.stringMatching(/Call 911 now/), expect.stringMatching(/not linked to a care team/)]);
    expect(replies[0]!.path).toMatch(/^\/v3\/conversations\/conv-bf-1\/activities\//);
    const log = await api.db.models.Message.find({ address: 'conv-bf-1' }).lean();
    expect(log.map((m) => m.direction).sort()).toEqual(['inbound', 'outbound', 'outbound']);
    const alert = await api.db.models.Alert.findOne({ 'source.address': 'conv-bf-1' }).lean();
    expect(alert).toMatchObject({ kind: 'emergency', severity: 'critical' });
  });

  it('answers a redelivered activity once', async () => {
    const body = activity('conv-bf-2', 'hello');
    const before = connector.replies.length;
    await send(body);
    await send(body);
    expect(connector.replies.length - before).toBe(1);
  });

  it('refuses callers that are not local when no app id is configured, and bad bodies', async () => {
    expect((await send(activity('conv-bf-3', 'hello'), '203.0.113.9')).statusCode).toBe(401);
    for (const bad of [{ type: 'message' }, { ...activity('conv-bf-4', 'hi'), conversation: { id: { $gt: '' } } }, { ...activity('conv-bf-5', 'hi'), serviceUrl: 'file:///etc' }]) {
      expect((await send(bad)).statusCode).toBe(400);
    }
    expect(await api.db.models.Message.countDocuments({ address: 'conv-bf-4' })).toBe(0);
  });
});

describe('SMS webhooks without Twilio configured', () => {
  it('refuses them: nothing can be verified, so nothing is stored', async () => {
    const res = await api.server.inject({
      method: 'POST', url: '/sms/inbound', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'x' },
      payload: 'MessageSid=SM0123456789abcdef0123456789abcdef&From=%2B15551112222&To=%2B15550009999&Body=hi',
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toMatch(/TWILIO_AUTH_TOKEN/);
    expect(await api.db.models.Message.countDocuments({ address: '+15551112222' })).toBe(0);
  });
});
