import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateApiKey, hashSecret, parseApiKey, secretMatches } from '../../src/domain/auth/keys.js';

const KEY_FORMAT = /^clk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/;
const validId = '0123456789abcdef';
const validSecret = 'A'.repeat(40) + '_-9';

describe('generateApiKey', () => {
  it('produces clk_<16 hex>_<43 base64url> and the SHA-256 of the secret', () => {
    const generated = generateApiKey();
    expect(generated.key).toMatch(KEY_FORMAT);
    expect(generated.key).toBe(`clk_${generated.id}_${generated.secret}`);
    expect(generated.secretHash).toBe(createHash('sha256').update(generated.secret).digest('hex'));
  });

  it('never repeats a key', () => {
    const first = generateApiKey();
    const second = generateApiKey();
    expect(second.id).not.toBe(first.id);
    expect(second.secret).not.toBe(first.secret);
  });
});

describe('parseApiKey', () => {
  it('round-trips a generated key', () => {
    const { id, secret, key } = generateApiKey();
    expect(parseApiKey(key)).toEqual({ id, secret });
  });

  it('accepts every base64url character in the secret', () => {
    expect(parseApiKey(`clk_${validId}_${validSecret}`)).toEqual({ id: validId, secret: validSecret });
  });

  it.each([
    ['wrong prefix', `clx_${validId}_${validSecret}`],
    ['no prefix', `${validId}_${validSecret}`],
    ['upper-case id', `clk_${validId.toUpperCase()}_${validSecret}`],
    ['short id', `clk_${validId.slice(1)}_${validSecret}`],
    ['short secret', `clk_${validId}_${validSecret.slice(1)}`],
    ['long secret', `clk_${validId}_${validSecret}x`],
    ['padding in the secret', `clk_${validId}_${validSecret.slice(1)}=`],
    ['leading space', ` clk_${validId}_${validSecret}`],
    ['trailing newline', `clk_${validId}_${validSecret}\n`],
    ['Bearer prefix', `Bearer clk_${validId}_${validSecret}`],
    ['empty', ''],
  ])('rejects a key with %s', (_case, key) => {
    expect(parseApiKey(key)).toBeUndefined();
  });
});

describe('secretMatches', () => {
  const { secret, secretHash } = generateApiKey();

  it('is true for the right secret', () => {
    expect(secretMatches(secret, secretHash)).toBe(true);
  });

  it('is false for a wrong secret', () => {
    expect(secretMatches(`${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`, secretHash)).toBe(false);
  });

  it.each([
    ['truncated', secretHash.slice(0, 62)],
    ['SHA-512 length', createHash('sha512').update(secret).digest('hex')],
    ['empty', ''],
  ])('is false, without throwing, for a %s stored hash', (_case, storedHash) => {
    expect(secretMatches(secret, storedHash)).toBe(false);
  });

  it('agrees with hashSecret', () => {
    expect(secretMatches('anything', hashSecret('anything'))).toBe(true);
  });
});
