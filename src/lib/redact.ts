/**
 * PHI scrubbing for anything that may reach a log line. Structured fields are removed by pino's redact paths
 * (see logger.ts); this catches PHI that hides inside free text such as error messages.
 */
const PHONE_CANDIDATE = /\+?\d[\d\s().-]{5,}\d/g;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const EMAIL = /[\w.+-]+@[\w-]+\.[\w.-]+/g;

/** Replaces phone numbers (7 or more digits, however punctuated) and e-mail addresses in free text. */
export function redactText(text: string): string {
  return text
    .replace(PHONE_CANDIDATE, (match) => (IPV4.test(match) || match.replace(/\D/g, '').length < 7 ? match : '[phone]'))
    .replace(EMAIL, '[email]');
}

/** A URL as safe to log: the path, and the names of query parameters without their values. */
export function redactUrl(url: string): string {
  const [path = '', query] = url.split('?', 2);
  if (!query) return path;
  const names = query.split('&').map((pair) => decodeURIComponentSafe(pair.split('=')[0] ?? ''));
  return `${path}?${names.map((name) => `${name}=[redacted]`).join('&')}`;
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
