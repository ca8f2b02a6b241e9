/**
 * Published guidance the rules follow, named so every result can say where its rule comes from. The rules are
 * written in our own words from these public sources; none of their text is reproduced.
 */
export const SOURCES = {
  nhsEmergency: 'NHS "When to call 999" and "When to go to A&E" (nhs.uk)',
  nhsPage: 'NHS health A to Z, "when to get help" sections (nhs.uk)',
  nhs111: 'NHS 111 online symptom pathways (published dispositions)',
  niceFever: 'NICE NG143 Fever in under 5s: traffic-light system',
  niceSepsis: 'NICE NG51 Sepsis: recognition and early management; UK Sepsis Trust screening',
  niceNeutropenic: 'NICE NG151 / CG151 Neutropenic sepsis in people on anticancer treatment',
  niceHeadInjury: 'NICE NG232 Head injury: assessment and early management',
  niceMeningitis: 'NICE NG240 Bacterial meningitis and meningococcal disease',
  niceCks: 'NICE Clinical Knowledge Summaries (CKS) for the presenting complaint',
  niceAntenatal: 'NICE NG133 Hypertension in pregnancy; RCOG reduced fetal movements guidance',
  niceDvt: 'NICE NG158 Venous thromboembolic diseases',
  ahaStroke: 'AHA/ASA stroke warning signs, BE-FAST (Balance, Eyes, Face, Arms, Speech, Time)',
  ahaCardiac: 'AHA and CDC heart attack warning signs',
  ahaBp: 'AHA hypertensive crisis guidance (180/120 with symptoms)',
  adaGlucose: 'ADA Standards of Care: hypoglycaemia (15-15 rule) and DKA warning signs',
  cdc: 'CDC symptom and "when to seek care" pages',
  crisis: '988 Suicide & Crisis Lifeline warning signs; NICE NG225 Self-harm',
  anaphylaxis: 'NICE CG134 / Resuscitation Council UK anaphylaxis; NHS "Anaphylaxis"',
  telephoneTriage: 'Schmitt-Thompson style telephone-triage criteria as published (protocol dispositions)',
  wound: 'NHS "Wound infection" and post-operative care advice; CDC surgical site infection criteria',
  careloop: 'CareLoop default: not enough detail to decide safely, so a clinician reviews',
} as const;
