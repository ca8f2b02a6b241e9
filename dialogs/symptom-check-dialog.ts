import { TextPrompt, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { SafetyService } from '../src/domain/safety/service.js';
import { dispositionAdvice, type SymptomCheckService, type SymptomSettings } from '../src/domain/symptoms/service.js';
import type { TriageResult } from '../src/domain/triage/engine.js';
import type { FollowUpQuestion } from '../src/domain/triage/types.js';
import { DialogIds } from './ids.js';
import { identityOf } from './identity.js';
import { InterruptibleDialog } from './interruptible-dialog.js';

const YES = /^\s*(y|yes|yeah|yep|yup|si|sí|i think so|maybe|not sure|unsure|kind of|a little)\b/i;
const NO = /^\s*(n|no|nope|nah|not really|none)\b/i;
const MAX_FOLLOW_UPS = 3;

interface CheckState {
  result: TriageResult;
  questions: FollowUpQuestion[];
  answers: { question: FollowUpQuestion; yes: boolean }[];
  done?: boolean;
}

/**
 * "Check a symptom": the patient says what is wrong in their own words; the triage engine decides; up to
 * three follow-up questions (red flags first) can only raise the level; the disposition comes with plain
 * advice and the rule that decided. Unsure answers count as yes: missing an emergency is worse than a
 * false alarm.
 */
export class SymptomCheckDialog extends InterruptibleDialog {
  constructor(safety: SafetyService, private readonly symptoms: SymptomCheckService, private readonly settings: SymptomSettings) {
    super(DialogIds.symptomCheck, safety);
    this.addDialog(new TextPrompt(DialogIds.symptomText));
    this.addDialog(new TextPrompt(DialogIds.symptomFollowUp));
    const askOrCollect = Array.from({ length: MAX_FOLLOW_UPS }, () => this.collectAndAsk.bind(this));
    this.addDialog(new WaterfallDialog(DialogIds.symptomWaterfall, [this.askComplaint.bind(this), this.assess.bind(this), ...askOrCollect, this.conclude.bind(this)]));
    this.initialDialogId = DialogIds.symptomWaterfall;
  }

  private async askComplaint(step: WaterfallStepContext) {
    const given = (step.options as { text?: string } | undefined)?.text;
    if (given) return step.next(given);
    return step.prompt(DialogIds.symptomText, {
      prompt: 'Tell me what is wrong, in your own words: what you feel, since when, and how bad. If it is for someone else, say who and their age.',
    });
  }

  private async assess(step: WaterfallStepContext) {
    const text = String(step.result ?? '').slice(0, 4000);
    const patient = identityOf(step.context).patient;
    const result = await this.symptoms.assess({ text, age: patient ? ageFrom(patient.dateOfBirth) : undefined });
    const questions = result.level === 'emergency' ? [] : result.followUps.slice(0, MAX_FOLLOW_UPS);
    (step.values as { check?: CheckState }).check = { result, questions, answers: [], done: questions.length === 0 };
    return step.next();
  }

  /** Records the answer to the last question asked, then asks the next one, until none is left. */
  private async collectAndAsk(step: WaterfallStepContext) {
    const check = this.record(step);
    const question = check.done ? undefined : check.questions[check.answers.length];
    if (!question) {
      check.done = true;
      return step.next();
    }
    return step.prompt(DialogIds.symptomFollowUp, { prompt: `${question.question} Reply YES or NO.` });
  }

  private record(step: WaterfallStepContext): CheckState {
    const check = (step.values as { check: CheckState }).check;
    const asked = check.questions[check.answers.length];
    if (!check.done && asked && typeof step.result === 'string') {
      check.answers.push({ question: asked, yes: YES.test(step.result) || !NO.test(step.result) });
      // A yes that makes it an emergency ends the questions at once.
      if (this.symptoms.applyFollowUps(check.result, check.answers).level === 'emergency') check.done = true;
    }
    return check;
  }

  private async conclude(step: WaterfallStepContext) {
    const check = this.record(step);
    const result = this.symptoms.applyFollowUps(check.result, check.answers);
    const identity = identityOf(step.context);
    const alerted = await this.symptoms.raiseIfNeeded(result, identity);
    const advice = result.advice.filter((line) => line.trim().length > 0).slice(0, 3);
    const lines = [dispositionAdvice(result.level, this.settings), ...advice.filter((line) => line !== dispositionAdvice(result.level, this.settings))];
    await step.context.sendActivity(lines.join('\n'));
    await step.context.sendActivity(`Why: ${result.rule.because}`);
    if (alerted) await step.context.sendActivity('Your care team has been told about this check.');
    if (result.level !== 'emergency') await step.context.sendActivity(`If you get worse or feel very unwell, call ${this.settings.emergencyNumber}.`);
    return step.endDialog({ level: result.level });
  }
}

function ageFrom(dateOfBirth: string, now = new Date()): number {
  const born = new Date(`${dateOfBirth}T00:00:00Z`);
  const years = now.getUTCFullYear() - born.getUTCFullYear();
  const beforeBirthday = now.getUTCMonth() < born.getUTCMonth() || (now.getUTCMonth() === born.getUTCMonth() && now.getUTCDate() < born.getUTCDate());
  return Math.max(0, years - (beforeBirthday ? 1 : 0));
}
