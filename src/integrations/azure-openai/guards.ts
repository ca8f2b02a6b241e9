/**
 * Deterministic checks that run BEFORE any text reaches a language model. They are heuristics: they catch the
 * common, copy-pasted attacks and the usual ways patients ask for personal dosing, and they err on the side of
 * refusing (a refused question gets general safety text and a pointer to a person), never on the side of asking
 * the model. They are English-first; the prompt structure and the post-validation of answers are the second line.
 */

/**
 * Invisible and look-alike characters used to hide words from filters ("ig\u200Bnore"): zero-width spaces and
 * joiners, soft hyphens, bidi controls, word joiners, the BOM and Unicode tag characters (ASCII smuggling).
 */
const INVISIBLE = /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF]|\u034F|[\u{E0000}-\u{E007F}]/gu;

/** NFKC folds full-width and stylised letters to ASCII; invisibles go; whitespace collapses. */
function normalise(text: string): string {
  return text.normalize('NFKC').replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
}

/**
 * Nouns that name the bot's own instructions. "message", "text", "directions" and "restrictions" are left out on
 * purpose: patients correct themselves and ask about their surgeon's directions and activity restrictions.
 */
const RULES = String.raw`(?:instructions?|rules?|prompts?|directives?|guidelines?|constraints?|programming|polic(?:y|ies)|guardrails?|system)`;

const INJECTION_PATTERNS: readonly RegExp[] = [
  // "ignore previous instructions", "forget all your rules", "disregard the above prompt"
  new RegExp(String.raw`\b(?:ignore|disregard|forget|override|bypass|skip|drop)\b(?: \S+){0,3}? (?:all|any|every|previous|prior|above|earlier|preceding|initial|original|your|system|these|those|the (?:above|previous|prior|system|original|initial|earlier))\b(?: \S+){0,2}? ${RULES}\b`, 'i'),
  // "disregard the above", "forget everything above"; "disregard my last message" is a correction, not flagged
  /\b(?:ignore|disregard|forget)\b (?:(?:all|everything) )?(?:of )?(?:the |what(?:'s| is) )?above\b/i,
  // new persona
  /\byou are now\b/i,
  /\bfrom now on,? you(?: are|'re| will| must| shall| should)\b/i,
  /(?:^|[.!?:;] ?|\b(?:please|now|you|you'll|you will|you must|you should|i want you to|pretend to) )act as\b/i,
  /\bpretend (?:to be|you(?: are|'re)|that you)\b/i,
  /\brole-?play(?:ing)? as\b/i,
  /\b(?:developer|god|debug|admin|unrestricted|jailbreak) mode\b/i,
  /\bjailbr(?:ea|oe)k/i,
  /\bDo Anything Now\b/i,
  // "DAN" only in its jailbreak uses, case-sensitive: Dan is also a nurse's name.
  /\b(?:you are|you're|act as|as|become|stay|be) (?:a )?DAN\b|\bDAN(?: mode|,? (?:ignore|you))\b/,
  /\b(?:no|without(?: any)?) (?:filters|guardrails|content polic(?:y|ies)|safety (?:rules|filters|guidelines))\b/i,
  // asking for the prompt
  /\bsystem (?:prompt|message|instructions?)\b/i,
  /\byour (?:system |initial |original |hidden |secret |full )?prompt\b/i,
  /\b(?:reveal|repeat|print|leak|dump|output|expose|recite) (?:me )?(?:all )?(?:of )?(?:your|the (?:system|hidden|secret|initial|original|above)) (?:instructions?|prompts?|rules|guidelines|configuration|text)\b/i,
  /\b(?:tell|show|give) me (?:your|the) (?:system|hidden|secret|initial|original) (?:instructions?|prompts?|rules)\b/i,
  /\b(?:new|updated|real|actual|override) instructions ?:/i,
  // chat-template and role markers
  /<\|[a-z_]{2,30}\|>/i,
  /(?:^|\s)#{2,} ?(?:system|assistant|user|developer|instructions?)\b/i,
  /\[\/?(?:INST|SYS)\]|<<\/?SYS>>/i,
  /<\/?(?:system|assistant|developer|instructions?)>/i,
  /(?:^|\n)\s*(?:system|assistant|developer) ?:/i,
  // a few common non-English forms
  /\bignor(?:a|e|ez) (?:(?:todas|toutes) )?(?:las|les) (?:instrucciones|instructions) (?:anteriores|précédentes)\b/i,
];

/** Long runs of base64-looking text: an encoded payload for the model to decode and follow. */
const BASE64_RUN = /[A-Za-z0-9+/]{40,}={0,2}/g;

function hasEncodedBlob(text: string): boolean {
  for (const [run] of text.matchAll(BASE64_RUN)) {
    // Mixed case and digits together: a tracking number or a word run does not look like this.
    if (/[a-z]/.test(run) && /[A-Z]/.test(run) && /\d/.test(run)) return true;
  }
  return false;
}

/**
 * True when the text looks like an attempt to steer the model instead of a patient's question: "ignore previous
 * instructions", "disregard the above", "you are now", "act as", "system prompt", "reveal your instructions",
 * jailbreak / DAN, chat-template markers (`<|im_start|>`, `### system`, `[INST]`), or a long base64-like blob.
 *
 * Text is NFKC-normalised and stripped of invisible characters first. Deliberately NOT flagged: corrections such
 * as "please ignore my earlier message, I meant Tuesday" (a message is not an instruction), questions about
 * care instructions ("what are the instructions for my wound dressing", "what are your instructions after
 * surgery"), and "act as" in the middle of a clinical question ("does aspirin act as a blood thinner?").
 */
export function looksLikePromptInjection(text: string): boolean {
  const cleaned = normalise(text);
  // Newline-sensitive markers are checked on the text with its line breaks kept.
  const withLines = text.normalize('NFKC').replace(INVISIBLE, '');
  return INJECTION_PATTERNS.some((pattern) => pattern.test(cleaned) || pattern.test(withLines)) || hasEncodedBlob(withLines);
}

const DOSING_PATTERNS: readonly RegExp[] = [
  // an amount with a unit: "500 mg", "2.5ml", "10 units", "two tablets" is covered by "how many"/"take two" below
  /\b\d+(?:[.,]\d+)? ?(?:mg|mcg|µg|ug|micrograms?|milligrams?|grams?|g|ml|mls|millilitres?|milliliters?|cc|units?|iu|tablets?|tabs?|pills?|capsules?|caps|puffs?|drops?|patches?)\b/i,
  /\b(?:mg|mcg|milligrams?|micrograms?|dosage|dosing|overdos(?:e|es|ed|ing))\b/i,
  /\bdoses?\b/i,
  /\bhow (?:many|much)\b(?: \S+){0,6}? (?:pills?|tablets?|tabs?|capsules?|caps|puffs?|drops?|units?|ml|mg|spoons?|teaspoons?|tablespoons?|doses?|medicines?|medications?|meds|insulin|should i (?:take|use|give)|can i (?:take|use|give)|is (?:safe|too much|too many|lethal|fatal|deadly))\b/i,
  /\b(?:double|triple|extra|another|second|bigger|larger|smaller|half|skip(?:ped)?(?: a| my)?) (?:up|dose|doses|pill|pills|tablet|tablets|capsule|capsules|shot|injection)\b/i,
  /\b(?:take|taking|took) (?:two|three|four|five|both|all|\d+|extra|more|another|double|half)\b/i,
  /\b(?:increase|decrease|reduce|lower|raise|change|adjust|cut|split|crush|halve|stop|skip) (?:my|the|his|her|their|our) (?:dose|dosage|medication|medicine|meds|pills?|tablets?|insulin)\b/i,
  /\b(?:lethal|fatal|deadly|toxic|max(?:imum)?|safe) (?:dose|amount|daily amount|number of (?:pills|tablets))\b/i,
  /\btoo (?:much|many) (?:of )?(?:my |the |this )?(?:pills?|tablets?|medicine|medication|meds|insulin|tylenol|acetaminophen|paracetamol|ibuprofen|opioids?)\b/i,
];

/**
 * True when a question asks about an amount of medicine: a number with a unit (mg, ml, units, tablets), "dose",
 * "how many pills", "double dose", "take two", "change my dose", "lethal amount". Such questions go to the
 * pharmacist or the care team, never to the model. Conservative on purpose: "what if I missed a dose?" is
 * refused too (the caller answers with general safety text and "ask your pharmacist").
 *
 * Not a crisis detector: overdose intent must already have been caught by the emergency rules that run first.
 */
export function looksLikeDosingQuestion(text: string): boolean {
  const cleaned = normalise(text);
  return DOSING_PATTERNS.some((pattern) => pattern.test(cleaned));
}

/**
 * Removes what could let a passage or a question break out of its data block in the prompt: our own
 * delimiter tags and chat-template markers. Invisible characters go as well.
 */
export function neutraliseForPrompt(text: string): string {
  return text
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(/<\/?\s*(?:passages?|question|system|assistant|developer|instructions?)\b[^>]*>/gi, '[removed]')
    .replace(/<\|[^|>]{1,40}\|>/g, '[removed]');
}
