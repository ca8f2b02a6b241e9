/**
 * What CareLoop says in a crisis and after the screener. The wording is reviewed data (`responses` in
 * content/clinical/crisis.yaml), written to safe-messaging guidance (988 Lifeline): direct and hopeful, never a
 * method or a dose, and always a way to reach a person now: the crisis line AND the emergency number.
 */
import { crisisLanguage, type CrisisKind } from './crisis-lexicon.js';
import type { ScreenResult } from './crisis-screen.js';

/** The numbers and names the replies carry, from this deployment's settings. */
export interface CrisisReplySettings {
  clinicName: string;
  clinicPhone?: string;
  emergencyNumber: string;
  crisisLine: string;
}

function fill(template: string, settings: CrisisReplySettings, clinicContact = ''): string {
  const values: Record<string, string> = {
    crisisLine: settings.crisisLine,
    emergencyNumber: settings.emergencyNumber,
    clinicName: settings.clinicName,
    clinicPhone: settings.clinicPhone ?? '',
    clinicContact,
  };
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole).replace(/\s{2,}/g, ' ').trim();
}

/**
 * The crisis reply: the crisis line and the emergency number first (the emergency number leads when someone
 * may already be hurt or have taken something), then what happens next.
 */
export function crisisReplies(kind: CrisisKind, enrolled: boolean, settings: CrisisReplySettings, language = 'en'): string[] {
  const { responses } = crisisLanguage(language);
  const first = kind === 'self_harm_in_progress' ? responses.crisis_injury : responses.crisis;
  return [fill(first, settings), fill(enrolled ? responses.crisis_care_team : responses.crisis_not_linked, settings)];
}

/** Said once before the screener's first question. */
export function screenIntro(settings: CrisisReplySettings, language = 'en'): string {
  return fill(crisisLanguage(language).responses.screen_intro, settings);
}

/** The reply to a finished screen; an acute screen gets the crisis reply. */
export function screenReplies(result: ScreenResult, enrolled: boolean, settings: CrisisReplySettings, language = 'en'): string[] {
  if (result === 'acute') return crisisReplies('ideation', enrolled, settings, language);
  const { responses } = crisisLanguage(language);
  const clinicContact = settings.clinicPhone ? fill(responses.clinic_contact, settings) : '';
  if (result === 'negative') return [fill(responses.screen_negative, settings)];
  return [fill(enrolled ? responses.screen_positive : responses.screen_positive_not_linked, settings, ` ${clinicContact}`)];
}
