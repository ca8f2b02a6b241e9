/**
 * A read-only view over {@link Findings} with the questions rules ask ("is there a fever?", "is this an infant
 * under 3 months?"), so every rule reads the same way and none re-implements a threshold.
 */
import type { Findings, Symptom, SymptomCode, TriageLevel } from './types.js';

/** What a rule decided. */
export interface Outcome {
  level: TriageLevel;
  id: string;
  source: string;
  because: string;
  advice: string[];
}

export class Facts {
  private readonly present = new Map<SymptomCode, Symptom>();
  private readonly mentioned = new Set<SymptomCode>();

  constructor(readonly findings: Findings) {
    for (const symptom of findings.symptoms) {
      this.mentioned.add(symptom.code);
      if (!symptom.negated) this.present.set(symptom.code, symptom);
    }
  }

  /** The symptom is stated and not denied (hedged counts). */
  has(...codes: SymptomCode[]): boolean {
    return codes.some((code) => this.present.has(code));
  }

  /** The symptom is mentioned at all, present or denied: the question about it has been answered. */
  answered(...codes: SymptomCode[]): boolean {
    return codes.some((code) => this.mentioned.has(code));
  }

  get(code: SymptomCode): Symptom | undefined {
    return this.present.get(code);
  }

  /** Present and described as severe (word or a score of 7+). */
  severe(...codes: SymptomCode[]): boolean {
    return codes.some((code) => this.present.get(code)?.severity === 'severe');
  }

  /** Present and described as mild, with nothing severe said about it. */
  mild(code: SymptomCode): boolean {
    return this.present.get(code)?.severity === 'mild';
  }

  /** Longest stated duration among the codes, in hours. */
  hours(...codes: SymptomCode[]): number | undefined {
    const values = codes.map((code) => this.present.get(code)?.durationHours).filter((hours) => hours !== undefined);
    return values.length > 0 ? Math.max(...values) : undefined;
  }

  days(...codes: SymptomCode[]): number | undefined {
    const hours = this.hours(...codes);
    return hours === undefined ? undefined : hours / 24;
  }

  flag(name: string): boolean {
    return this.findings.freeTextFlags.includes(name);
  }


  get history() {
    return this.findings.history;
  }

  get readings() {
    return this.findings.readings;
  }

  get age(): number | undefined {
    return this.findings.age;
  }

  get tempC(): number | undefined {
    return this.findings.temperatureC;
  }

  /** A fever stated or measured (38.0 °C or more, NICE NG143 / CDC). */
  get fever(): boolean {
    return this.has('fever') || (this.tempC ?? 0) >= 38;
  }

  /** A temperature under 36 °C with illness: as worrying as fever in sepsis screens (NICE NG51). */
  get hypothermic(): boolean {
    return this.tempC !== undefined && this.tempC < 36;
  }

  get isInfant(): boolean {
    return this.findings.subject === 'infant' || (this.age !== undefined && this.age < 1);
  }

  /** Under 3 months, or an infant of unknown age described as a newborn. */
  get under3Months(): boolean {
    return this.age !== undefined ? this.age < 0.25 : false;
  }

  get isChild(): boolean {
    return this.isInfant || this.findings.subject === 'child' || (this.age !== undefined && this.age < 18);
  }

  get under5(): boolean {
    return this.age !== undefined ? this.age < 5 : this.isInfant;
  }

  get olderAdult(): boolean {
    return this.age !== undefined && this.age >= 65;
  }

  get pregnant(): boolean {
    return this.history.pregnant === true;
  }

  get recentSurgery(): boolean {
    return this.history.recentSurgery === true && (this.history.daysSinceSurgery ?? 0) <= 90;
  }

  get immunosuppressed(): boolean {
    return this.history.immunosuppressed === true || this.history.chemotherapy === true;
  }

  /** Who is ill, in words for explanations. */
  get who(): string {
    if (this.isInfant) return this.age !== undefined && this.age < 0.25 ? 'a baby under 3 months' : 'a baby';
    if (this.isChild) return 'a child';
    if (this.olderAdult) return 'an adult aged 65 or over';
    return 'an adult';
  }
}
