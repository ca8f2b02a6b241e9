import { DateTime } from 'luxon';

/**
 * One page to one staff member about one alert. PHI-minimal by construction: it has no field that could hold a
 * patient's name, a diagnosis or the patient's words, so no channel can leak them. Staff read the details in the
 * console, after signing in.
 */
export interface Page {
  alertId: string;
  /** The alert's short number, for "ACK 4821" replies and for saying it aloud. */
  shortNumber: number;
  severity: PageSeverity;
  /** A reason category from our own list ("post-op check-in", "missed doses", "emergency words"), never free text. */
  category: string;
  raisedAt: Date;
  /** The signed acknowledgement link (see ack-link.ts). */
  ackUrl: string;
  /** The alert in the staff console (behind sign-in). */
  consoleUrl?: string;
  /** IANA zone the time is shown in (the care team's); UTC when absent. */
  timeZone?: string;
}

export type PageSeverity = 'critical' | 'high' | 'normal';

/** What one channel made of one page; the escalation service records it and decides what comes next. */
export type PageDeliveryResult =
  | { status: 'delivered'; attempts: number }
  | {
      status: 'failed';
      attempts: number;
      /** Short and log-safe: `http_404`, `http_429`, `timeout`, `network`, `smtp_451`, `url_not_allowed` ... */
      code: string;
      /** Trying again later may work (rate limit, outage, timeout); false means fix the address or config. */
      retryable: boolean;
      /** The earliest time the receiver accepts another try, when it said so (Retry-After past our cap). */
      retryAfter?: Date;
    };

/** The formats of the webhook channel: our own JSON, a Microsoft Teams Workflows card, a Slack message. */
export type WebhookFormat = 'webhook' | 'teams' | 'slack';

const SEVERITY_LABEL: Record<PageSeverity, string> = { critical: 'CRITICAL', high: 'high priority', normal: 'normal priority' };

/** "high priority", "CRITICAL" ...: how the severity reads in a sentence. */
export const severityLabel = (severity: PageSeverity): string => SEVERITY_LABEL[severity];

/** "15:04 UTC" or "10:04 EST": staff need the time of day, not a timestamp to parse. */
export function raisedAtLabel(page: Page): string {
  const zoned = DateTime.fromJSDate(page.raisedAt, { zone: page.timeZone ?? 'UTC' });
  // An unknown zone must not cost the page: fall back to UTC rather than print "Invalid DateTime".
  const shown = zoned.isValid ? zoned : DateTime.fromJSDate(page.raisedAt, { zone: 'UTC' });
  return shown.toFormat('HH:mm ZZZZ');
}

/** The one-line summary every channel starts from: "CareLoop alert 4821, high priority (post-op check-in) at 15:04 UTC". */
export function pageHeadline(page: Page): string {
  return `CareLoop alert ${page.shortNumber}, ${severityLabel(page.severity)} (${page.category}) at ${raisedAtLabel(page)}`;
}

/** The SMS body: the headline, how to acknowledge by reply, and the link. */
export function smsText(page: Page): string {
  return `${pageHeadline(page)}. Reply ACK ${page.shortNumber} or open ${page.ackUrl}`;
}

/** Subject, plain text and HTML of the page e-mail. The HTML is escaped and loads nothing remote (no images, no CSS). */
export function emailMessage(page: Page): { subject: string; text: string; html: string } {
  const subject = `CareLoop alert ${page.shortNumber}: ${severityLabel(page.severity)} (${page.category})`;
  const lines = [
    `${pageHeadline(page)}.`,
    '',
    `Acknowledge: ${page.ackUrl}`,
    ...(page.consoleUrl ? [`Open in the console: ${page.consoleUrl}`] : []),
  ];
  const html = [
    '<!doctype html><html><body>',
    `<p><strong>${escapeHtml(pageHeadline(page))}.</strong></p>`,
    `<p><a href="${escapeHtml(page.ackUrl)}">Acknowledge alert ${page.shortNumber}</a></p>`,
    ...(page.consoleUrl ? [`<p><a href="${escapeHtml(page.consoleUrl)}">Open in the console</a></p>`] : []),
    '</body></html>',
  ].join('\n');
  return { subject, text: lines.join('\n'), html };
}

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * The generic webhook body (format `webhook`), our own documented shape, version 1. Receivers should ignore
 * fields they do not know: later versions may add some. `raisedAt` is ISO 8601 in UTC.
 */
export interface GenericPageBody {
  type: 'careloop.page';
  version: 1;
  alert: { id: string; shortNumber: number; severity: PageSeverity; category: string; raisedAt: string };
  /** The headline, ready to show as is. */
  text: string;
  links: { ack: string; console?: string };
}

/** The JSON to POST to a staff member's webhook, in the format the receiver expects. */
export function webhookBody(page: Page, format: WebhookFormat): Record<string, unknown> {
  switch (format) {
    case 'webhook':
      return { ...genericBody(page) };
    case 'slack':
      return slackMessage(page);
    case 'teams':
      return teamsMessage(page);
  }
}

function genericBody(page: Page): GenericPageBody {
  const { alertId: id, shortNumber, severity, category } = page;
  return {
    type: 'careloop.page',
    version: 1,
    alert: { id, shortNumber, severity, category, raisedAt: page.raisedAt.toISOString() },
    text: pageHeadline(page),
    links: { ack: page.ackUrl, ...(page.consoleUrl ? { console: page.consoleUrl } : {}) },
  };
}

/**
 * A Slack incoming-webhook message: `text` is the notification and fallback, `blocks` the message (Block Kit), with
 * link buttons. Unfurling is off: Slack's unfurler would fetch the acknowledgement link and post a preview of it.
 */
function slackMessage(page: Page): Record<string, unknown> {
  const buttons = [
    { type: 'button', action_id: 'careloop_ack', text: { type: 'plain_text', text: `Acknowledge ${page.shortNumber}` }, url: page.ackUrl, style: page.severity === 'critical' ? 'danger' : 'primary' },
    ...(page.consoleUrl ? [{ type: 'button', action_id: 'careloop_console', text: { type: 'plain_text', text: 'Open in console' }, url: page.consoleUrl }] : []),
  ];
  return {
    text: pageHeadline(page),
    unfurl_links: false,
    unfurl_media: false,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*CareLoop alert ${page.shortNumber}*: ${escapeSlack(severityLabel(page.severity))}\n${escapeSlack(page.category)}, raised ${raisedAtLabel(page)}` } },
      { type: 'actions', elements: buttons },
    ],
  };
}

/** Slack's mrkdwn treats &, < and > as control characters; everything else shows as written. */
const escapeSlack = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const TEAMS_COLOUR: Record<PageSeverity, string> = { critical: 'Attention', high: 'Warning', normal: 'Default' };

/**
 * A Microsoft Teams Workflows ("when a Teams webhook request is received") message: one Adaptive Card attachment
 * (schema 1.4, which Teams renders everywhere) with Action.OpenUrl buttons.
 */
function teamsMessage(page: Page): Record<string, unknown> {
  const actions = [
    { type: 'Action.OpenUrl', title: `Acknowledge ${page.shortNumber}`, url: page.ackUrl, style: 'positive' },
    ...(page.consoleUrl ? [{ type: 'Action.OpenUrl', title: 'Open in console', url: page.consoleUrl }] : []),
  ];
  const card = {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.4',
    fallbackText: pageHeadline(page),
    body: [
      { type: 'TextBlock', text: `CareLoop alert ${page.shortNumber}`, weight: 'Bolder', size: 'Medium', color: TEAMS_COLOUR[page.severity], wrap: true },
      {
        type: 'FactSet',
        facts: [
          { title: 'Priority', value: severityLabel(page.severity) },
          { title: 'Reason', value: page.category },
          { title: 'Raised', value: raisedAtLabel(page) },
        ],
      },
    ],
    actions,
  };
  return { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card }] };
}
