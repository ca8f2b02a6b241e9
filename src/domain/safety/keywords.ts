/**
 * SMS compliance keywords (STOP / START / HELP) and a free-text request the bot must not ignore: "can I talk to
 * a nurse" (hand off to a person). Plain-language opt-outs are in opt-out-request.ts. Pure, deterministic rules.
 */
import { buildLexicon, normalizeMessage } from './normalize.js';

/**
 * Twilio's default opt-out keywords for long codes and toll-free numbers (Twilio "Advanced Opt-Out" docs and the
 * May 2025 update that added REVOKE and OPTOUT for the FCC's April 2025 TCPA revocation rule). Matched against
 * the whole message, any case.
 */
export const TWILIO_OPT_OUT_KEYWORDS = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'END', 'QUIT', 'CANCEL', 'REVOKE', 'OPTOUT'] as const;

/**
 * Opt-outs we honour beyond Twilio's list. The FCC's 2024 TCPA order (FCC 24-24, 47 CFR 64.1200(a)(10)) names
 * "opt out" as a word that revokes consent, but Twilio matches no keyword with a space, so "OPT OUT" reaches us
 * unfiltered and we must honour it ourselves; "OPT-OUT" and "STOP ALL" are the same words as OPTOUT and STOPALL
 * typed by a phone's autocorrect. Treating them as STOP only ever errs towards sending less.
 * Twilio does not block these at the carrier: the caller records the opt-out and confirms it itself.
 */
export const EXTRA_OPT_OUT_KEYWORDS = ['OPT OUT', 'STOP ALL'] as const;

/** Every whole-message opt-out keyword we act on. */
export const OPT_OUT_KEYWORDS: readonly string[] = [...TWILIO_OPT_OUT_KEYWORDS, ...EXTRA_OPT_OUT_KEYWORDS];

/** Twilio's default opt-in keywords. */
export const OPT_IN_KEYWORDS = ['START', 'UNSTOP', 'YES'] as const;

/**
 * Opt-in keywords that are also ordinary answers. YES re-subscribes only a patient who has opted out; from
 * anyone else it answers the current question ("Did you take your 8am dose?" "yes"). The caller decides,
 * knowing the patient's opt-out state: `detectOptKeyword` reports YES as 'start' either way.
 */
export const AMBIGUOUS_OPT_IN_KEYWORDS = ['YES'] as const;

/** Twilio's default help keywords. */
export const HELP_KEYWORDS = ['HELP', 'INFO'] as const;

/** Whole-message words that ask for a person; used by {@link detectHandoffRequest} and in help text ("reply AGENT"). */
export const HANDOFF_KEYWORDS = ['AGENT', 'HUMAN', 'REPRESENTATIVE', 'REP', 'OPERATOR', 'PERSON', 'NURSE', 'DOCTOR',
  'STAFF', 'LIVE AGENT', 'REAL PERSON', 'HUMAN PLEASE', 'AGENT PLEASE', 'NURSE PLEASE', 'CUSTOMER SERVICE'] as const;

/** What a compliance keyword asks for. */
export type OptKeyword = 'stop' | 'start' | 'help';

/**
 * The message as a keyword: trimmed, upper-cased, width-folded ("ＳＴＯＰ"), with punctuation, emoji and quotes
 * around it removed ("Stop.", "STOP!!", "'stop'") and inner spaces or dashes collapsed ("opt-out" -> "OPT OUT").
 */
export function keywordForm(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu, '')
    .replace(/[\s_-]+/g, ' ')
    .toUpperCase();
}

/**
 * Twilio's whole-message keywords: 'stop' for STOP and its synonyms ({@link OPT_OUT_KEYWORDS}), 'start' for
 * START, UNSTOP and YES (see {@link AMBIGUOUS_OPT_IN_KEYWORDS}), 'help' for HELP and INFO. A keyword inside a
 * sentence ("stop texting me please") is not one: see `detectOptOutRequest` in opt-out-request.ts.
 */
export function detectOptKeyword(text: string): OptKeyword | undefined {
  const word = keywordForm(text);
  if (OPT_OUT_KEYWORDS.includes(word)) return 'stop';
  if ((OPT_IN_KEYWORDS as readonly string[]).includes(word)) return 'start';
  if ((HELP_KEYWORDS as readonly string[]).includes(word)) return 'help';
  return undefined;
}

/** True for START, UNSTOP and YES as a whole message. YES means opt-in only for an opted-out patient; the caller decides. */
export function isStartKeyword(text: string): boolean {
  return detectOptKeyword(text) === 'start';
}

/** True when the whole message is YES: an opt-in only for a patient who has opted out. */
export function isAmbiguousStartKeyword(text: string): boolean {
  return (AMBIGUOUS_OPT_IN_KEYWORDS as readonly string[]).includes(keywordForm(text));
}

// Typos the free-text detectors should read through ("tlk to a nurce", "stop txting me").
const LEXICON = buildLexicon({
  known: ['stop', 'quit', 'cease', 'text', 'texting', 'texts', 'message', 'messages', 'messaging', 'contact', 'contacting',
    'sending', 'send', 'reminders', 'reminder', 'notifications', 'talk', 'speak', 'nurse', 'doctor', 'person', 'human',
    'agent', 'someone', 'somebody', 'real', 'live', 'call', 'me', 'unsubscribe', 'remove', 'list', 'anymore', 'number'],
  variants: [['nurce', 'nurse'], ['nures', 'nurse'], ['docter', 'doctor'], ['doctr', 'doctor'], ['speek', 'speak'],
    ['tlak', 'talk'], ['tawk', 'talk'], ['unsubscibe', 'unsubscribe'], ['unsub', 'unsubscribe'], ['stahp', 'stop'],
    ['representitive', 'representative'], ['represenative', 'representative'], ['txt', 'text'], ['texing', 'texting'],
    ['mesages', 'messages'], ['msging', 'messaging'], ['optout', 'opt out'], ['callme', 'call me'], ['ppl', 'people']],
  fuzzyTargets: ['representative', 'somebody', 'someone', 'person', 'doctor', 'nurse', 'human', 'agent', 'unsubscribe',
    'texting', 'messages', 'messaging', 'reminders', 'notifications', 'operator', 'speak', 'pharmacist', 'coordinator'],
});

/**
 * The message in the detectors' canonical spelling ("stop txting me!!" -> " stop texting me "), with a leading
 * and trailing space so patterns can use " word " boundaries; clause breaks appear as " | ".
 */
export function canonicalText(text: string): string {
  return ` ${normalizeMessage(text.slice(0, 1000), LEXICON).tokens.map((token) => token.word).join(' ')} `;
}

const STAFF = '(?:nurse|nurses|doctor|doctors|physician|person|human|humans|human being|someone|somebody|anyone|agent|representative|rep|staff|provider|care team|team|pharmacist|coordinator|operator|people|office|clinic|case manager|social worker|surgeon|specialist|np|pa|live agent|real person|somone|counselor|therapist|receptionist|front desk|customer service)';

/** Requests for a person (not a person merely mentioned: "my nurse told me to take 2 pills"). */
const HANDOFF_REQUESTS = [
  new RegExp(` (?:talk|speak|chat|connect|transfer|put|get|reach|patch) (?:me )?(?:through )?(?:to|with) (?:a |an |the |my |your |some |someone |real |live |actual |on call |an actual )*${STAFF} `),
  / (?:real|live|actual|an actual) (?:person|human|agent|people|nurse|doctor|rep) /,
  / (?:agent|human|representative|operator|person|nurse|doctor|staff) (?:please|now|asap) /,
  new RegExp(` (?:need|want|like|have|get|can|could|would|ask|make|please|pls) (?:\\w+ ){0,4}${STAFF} (?:\\w+ ){0,2}(?:call|phone|ring|contact|reach|text|get back to|callback) (?:me|us|back) `),
  new RegExp(` (?:i need|i want|we need|i would like|id like|i wanna|want|need) (?:to (?:see|talk to|speak to|speak with|talk with) )?(?:a |an |my |the |to |some )*${STAFF} `),
  new RegExp(` (?:contact|page|notify|alert|message) (?:my|the|a) ${STAFF} `),
];
/** "call me" is a request unless it reports someone else's plan ("the nurse will call me"). */
const CALL_ME = / (?:call|phone|ring) (?:me|us)(?: back)? /;
const REPORTED_CALL = / (?:will|would|said|says|told|supposed|promised|going to|gonna|already|didnt|never|doesnt|dont|is|was|shall|to) (?:\w+ ){0,1}(?:call|phone|ring) (?:me|us) /;
const CALL_REQUEST = / (?:please|pls|can|could|would you|can you|need|want|have|get|ask) /;
const DECLINED = / (?:dont|never|not|without|no need to|no need for) (?:\w+ ){0,1}(?:talk|speak|call|need|want|see|contact|a|an|the|any|anyone|someone) /;

/**
 * True when the patient asks for a person: "agent", "talk to a nurse", "speak to someone", "can I talk to a real
 * person", "representative", "call me", "I need a doctor to call me", "human please". Not for a person merely
 * mentioned ("my nurse told me to take 2 pills", "the doctor will call me tomorrow").
 */
export function detectHandoffRequest(text: string): boolean {
  if ((HANDOFF_KEYWORDS as readonly string[]).includes(keywordForm(text))) return true;
  const canonical = canonicalText(text);
  if (DECLINED.test(canonical)) return false;
  if (HANDOFF_REQUESTS.some((pattern) => pattern.test(canonical))) return true;
  return CALL_ME.test(canonical) && (!REPORTED_CALL.test(canonical) || CALL_REQUEST.test(canonical));
}
