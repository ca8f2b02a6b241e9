/**
 * Plain-language opt-outs. The FCC's 2024 TCPA order (FCC 24-24, 47 CFR 64.1200(a)(10)) lets a patient revoke
 * consent "by any reasonable means", so "please stop texting me", "unsubscribe me" or "I don't want these
 * messages" must work like STOP. The rules below decide what counts; they are deterministic and err towards
 * sending less, but only when the request is about messages from us:
 *  - "how do I stop the bleeding", "can you stop by", "stop taking my pills": not about messages, no opt-out.
 *  - "stop texting me", "how do I unsubscribe?", "take me off this list": an opt-out.
 *  - A request that limits itself ("stop the reminders for my old inhaler", "stop texting me at work, text
 *    after 5", "stop texting my wife") is `partial`: the patient still wants some messages, so stopping all
 *    of them would be wrong, and nothing we have can stop only some. The caller answers once with how to stop
 *    everything (STOP) and asks the care team to make the change; the patient is not opted out.
 */
import { canonicalText, detectOptKeyword } from './keywords.js';

/** What a free-text message asks about our messages: stop them all, or change some of them. */
export type OptOutRequest = 'opt_out' | 'partial';

/** Verbs for sending us something. */
const SEND = '(?:text|texting|texted|txt|message|messaging|msg|send|sending|contact|contacting|call|calling|remind|reminding|bother|bothering|spam|spamming|email|emailing|notify|notifying|ping|pinging)';
/** Nouns for what we send. */
const SENT = '(?:texts?|txts?|messages?|msgs?|sms|reminders?|notifications?|alerts?|emails?|calls?|spam|check ins?|checkins?)';
/** Words that name our messages as a whole rather than a subset: "stop all these stupid texts". */
const GENERIC = new Set(['the', 'my', 'all', 'these', 'those', 'your', 'this', 'that', 'any', 'every', 'of', 'daily', 'weekly', 'automated',
  'automatic', 'stupid', 'annoying', 'damn', 'constant', 'many', 'more', 'anymore', 'other', 'text', 'sms', 'spam', 'robot', 'bot', 'clinic', 'such']);

/** Requests to stop our messages. Matched against the canonical text (" dont text me anymore "). */
const REQUESTS = [
  new RegExp(` (?:stop|quit|cease|halt|pause) (?:\\w+ ){0,1}${SEND} `),
  new RegExp(` (?:stop|quit|cease|halt|pause|end|cancel|turn off|block|no more) (?:\\w+ ){0,3}${SENT} `),
  new RegExp(` (?:dont|do not|never|no longer|not|wont) (?:want to |wanna |need to |ever )?(?:${SEND}|receive|receiving|get|getting) (?:\\w+ ){0,2}(?:me|us|texts|messages|reminders|anymore|again|these|this|any) `),
  new RegExp(` (?:dont|do not|no longer) (?:want|need) (?:\\w+ ){0,3}(?:${SENT}|this|these|them) `),
  / (?:unsubscribe|unsub|opt out|opt me out|unenroll|un enroll|deregister|sign me off|stop all) /,
  / (?:remove|take|delete|drop|get|sign) (?:me|my number|my phone|my info|my name) (?:\w+ ){0,2}(?:off|from|out of|list|program|system|texts|messages) /,
  / (?:remove|delete|erase) my (?:number|phone number|phone|contact) /,
  / (?:you|u) (?:have|got|ve got|have got) (?:the |a )?wrong (?:number|person) /,
  / (?:this is|its|thats|that is|sorry|wrong) (?:the |a )?wrong (?:number|person) /,
  / (?:no|ya no) (?:me )?(?:envien|manden|mandes|envies|escriban|escribas) mas /,
  / (?:darme|dame|dar) de baja /,
];
/** Only as (nearly) the whole message: "please stop", "leave me alone", "wrong number". */
const SHORT_REQUESTS = /^ (?:please |pls |plz |just |ok |okay |omg |oh |now )*(?:stop|quit|unsubscribe|opt out|leave me alone|wrong number|wrong person|remove me|go away)(?: it| now| please| pls| plz| already| thanks| thank you| asap| all| everything| stop| me)* $/;

/** "Please don't stop texting me", "I don't want to opt out": the opposite request. */
const KEEP_MESSAGES = / (?:dont|do not|never|not|wont|didnt) (?:want to |wanna |need to |want you to |)(?:stop|quit|cancel|unsubscribe|opt out|end|remove) /;

/** A time or place the patient still wants messages outside of: "at work", "after 5", "in the morning". */
const LIMITED_TIME = new RegExp([
  ' (?:at|during|while at|while im at|while i am at) (?:work|night|school|church|dinner|lunch|the office|night time|nighttime) ',
  ' (?:after|before|past|until|till|til|between) (?:\\d|(?:noon|midnight|lunch|dinner|work|school|the weekend|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday|next) )',
  ' (?:in the|every|each) (?:morning|evening|afternoon|night)s? ', ' (?:on )?(?:the )?weekends? ', ' (?:so|too|as) (?:early|late|often|much|many) ',
  ' (?:today|tonight|this week|this weekend|for a few days|for a bit|so early|at \\d+) ', ` ${SEND} (?:\\w+ ){0,2}(?:later|after|instead of)`,
].join('|'));
/** Someone else: "stop texting my wife", "stop sending her reminders". */
const SOMEONE_ELSE = new RegExp(` ${SEND} (?:my (?:wife|husband|son|daughter|mom|mother|dad|father|kid|kids|child|children|partner|friend|brother|sister|grandma|grandpa)|him|her) `);
/** A named subset: "reminders for my old inhaler", "messages about appointments". */
const SUBSET_AFTER = new RegExp(` ${SENT} (?:for|about|regarding|re|of|on) (?!me |us |this number |my phone )`);
const SUBSET_BEFORE = new RegExp(` (?:stop|quit|end|cancel|pause|turn off|no more|want|need|send|get|getting|receive) (?:the |my |these |those |your |this |that |any |all )?([a-z0-9]+) ${SENT} `);

/** True when the request names only some of our messages, or only some times: it cannot mean "stop all". */
function limited(canonical: string): boolean {
  if (LIMITED_TIME.test(canonical) || SOMEONE_ELSE.test(canonical) || SUBSET_AFTER.test(canonical)) return true;
  const modifier = SUBSET_BEFORE.exec(canonical)?.[1];
  return modifier !== undefined && !GENERIC.has(modifier) && !new RegExp(`^${SENT}$`).test(modifier) && !new RegExp(`^${SEND}$`).test(modifier);
}

/**
 * Whether a message asks to stop our messages: `opt_out` for all of them (STOP and its synonyms too),
 * `partial` for some of them or at some times, `undefined` for anything else. See the module comment.
 */
export function detectOptOutRequest(text: string): OptOutRequest | undefined {
  if (detectOptKeyword(text) === 'stop') return 'opt_out';
  const canonical = canonicalText(text);
  if (KEEP_MESSAGES.test(canonical)) return undefined;
  if (SHORT_REQUESTS.test(canonical)) return 'opt_out';
  if (!REQUESTS.some((pattern) => pattern.test(canonical))) return undefined;
  return limited(canonical) ? 'partial' : 'opt_out';
}

/** True when the message asks to stop every message from us: STOP, "stop texting me", "unsubscribe me". */
export function looksLikeOptOutRequest(text: string): boolean {
  return detectOptOutRequest(text) === 'opt_out';
}
