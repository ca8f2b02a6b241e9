import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContainer } from '../../src/app/container.js';
import { parseConfig } from '../../src/config/index.js';
import { buildServer } from '../../src/http/server.js';
import { systemClock } from '../../src/lib/clock.js';
import { createLogger } from '../../src/lib/logger.js';
import { openTestDatabase } from '../helpers/db.js';

const PROXY = '10.0.0.2';
const wrongKey = (n: number) => `clk_${n.toString(16).padStart(16, '0')}_${'A'.repeat(43)}`;
const randomAddress = (n: number) => `198.18.${n % 256}.${(n * 7) % 256}`;

describe('TRUST_PROXY', () => {
  it('refuses true, naming what to give instead, and parses a hop count and an address list', () => {
    for (const value of ['true', 'yes']) expect(() => parseConfig({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY: .*number of proxies.*addresses/);
    expect(parseConfig({}).TRUST_PROXY).toBe(false);
    expect(parseConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(parseConfig({ TRUST_PROXY: `${PROXY}, 10.9.0.0/16, fd00::/8` }).TRUST_PROXY).toEqual([PROXY, '10.9.0.0/16', 'fd00::/8']);
    for (const value of ['10.0.0.0/40', 'proxy.example.org', '11', '10.0.0.2/8/8']) expect(() => parseConfig({ TRUST_PROXY: value })).toThrow('TRUST_PROXY');
  });
});

describe.each([
  ['unset', undefined],
  ['a hop count', '1'],
  ['an address list', `${PROXY}, 10.9.0.0/16`],
])('with TRUST_PROXY %s, a spoofed X-Forwarded-For', (_label, trustProxy) => {
  let server: FastifyInstance;

  beforeAll(async () => {
    const { db, config } = await openTestDatabase({ env: { RATE_LIMIT_PER_MINUTE: '5', ...(trustProxy ? { TRUST_PROXY: trustProxy } : {}) } });
    server = await buildServer(buildContainer({ config, logger: createLogger('silent'), db, clock: systemClock }), { version: 'test' });
    afterAll(() => server.close());
  });

  const send = (url: string, remoteAddress: string, forwardedFor?: string, options: { key?: string; body?: object } = {}) =>
    server.inject({
      method: options.body ? 'POST' : 'GET', url, remoteAddress, payload: options.body,
      headers: { ...(options.key ? { authorization: `Bearer ${options.key}` } : {}), ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
    });
  const activity = { type: 'message' }; // incomplete: a caller past the check gets 400

  it('never passes the loopback check of /api/messages', async () => {
    const spoofed = [
      ['203.0.113.9', '127.0.0.1'], // straight from the internet
      ['203.0.113.9', '::1'],
      [PROXY, '127.0.0.1, 203.0.113.9'], // through the proxy, which appends the real client
      [PROXY, '127.0.0.1'],
      ['127.0.0.1', '127.0.0.1, 203.0.113.9'], // a reverse proxy on the same host, forwarding a remote client
      ['127.0.0.1', '127.0.0.1'], // the same, or a local caller claiming to be forwarded: refused either way
    ];
    for (const [remoteAddress, forwardedFor] of spoofed) {
      const res = await send('/api/messages', remoteAddress!, forwardedFor, { body: activity });
      expect(res.statusCode, `${remoteAddress} with X-Forwarded-For: ${forwardedFor}`).toBe(401);
    }
    // A local caller talking to us directly does pass it (and its incomplete activity is then refused as invalid).
    expect((await send('/api/messages', '127.0.0.1', undefined, { body: activity })).statusCode).toBe(400);
    expect((await send('/api/messages', '::1', undefined, { body: activity })).statusCode).toBe(400);
  });

  it('never escapes the failure budget of its address, straight or through the proxy', async () => {
    const direct = [];
    for (let n = 0; n < 25; n++) direct.push((await send('/api/v1/care-teams', '203.0.113.20', randomAddress(n), { key: wrongKey(n) })).statusCode);
    expect(direct).toEqual([...Array(20).fill(401), ...Array(5).fill(429)]);

    const proxied = [];
    for (let n = 0; n < 25; n++) {
      proxied.push((await send('/api/v1/care-teams', PROXY, `${randomAddress(n)}, 203.0.113.21`, { key: wrongKey(n) })).statusCode);
    }
    expect(proxied).toEqual([...Array(20).fill(401), ...Array(5).fill(429)]);
    // When the proxy is trusted, it is the client behind it that was throttled, not everyone behind the proxy.
    const neighbour = await send('/api/v1/care-teams', PROXY, '203.0.113.22', { key: wrongKey(99) });
    expect(neighbour.statusCode).toBe(trustProxy ? 401 : 429);
  });

  it('never escapes the rate limit of an anonymous route', async () => {
    const statuses = [];
    for (let n = 0; n < 8; n++) statuses.push((await send('/chat/token', '203.0.113.30', randomAddress(n), { body: {} })).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
  });
});
