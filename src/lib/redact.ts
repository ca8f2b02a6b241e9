/**
 * PHI scrubbing for anything that may reach a log line. Structured fields are removed by pino's redact paths
 * (see logger.ts); this catches PHI that hides inside free text such as error messages.
 */
const PHONE = new RegExp(
  [
    String.raw`\+\d[\d\s().-]{6,}\d`, // international, as stored (E.164) or written
    String.raw`\(?\b\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4}\b`, // North American with separators
    String.raw`\b\d{3}[\s.-]\d{4}\b`, // a local number: 555 1234
    String.raw`\b\d{10,15}\b`, // a bare long run of digits
  ].join('|'),
  'g',
);
const EMAIL = /[\w.+-]+@[\w-]+\.[\w.-]+/g;
/** The user and password of a connection string (mongodb://user:pw@host), which a driver's error may repeat. */
const URI_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi;
const PARAM_NAME = /^[A-Za-z][\w.[\]$-]{0,63}$/;

/** Replaces phone numbers, e-mail addresses and URI credentials in free text; dates, times, ports and IP addresses stay. */
export function redactText(text: string): string {
  return text.replace(URI_CREDENTIALS, '$1[credentials]@').replace(PHONE, '[phone]').replace(EMAIL, '[email]');
}

/** A URL as safe to log: the path (scrubbed), and the names of query parameters without their values. */
export function redactUrl(url: string): string {
  const [path = '', query] = url.split('?', 2);
  if (!query) return redactText(path);
  const names = query.split('&').map((pair) => {
    const name = decodeURIComponentSafe(pair.split('=')[0] ?? '');
    return PARAM_NAME.test(name) ? name : '[redacted]';
  });
  return `${redactText(path)}?${names.map((name) => `${name}=[redacted]`).join('&')}`;
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
