import { TextPrompt, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { WellbeingService } from '../src/domain/wellbeing/wellbeing.js';
import type { EducationService } from '../src/domain/education/ask.js';
import type { SafetyService, SafetySettings } from '../src/domain/safety/service.js';
import { classifyMenuText } from '../src/domain/symptoms/free-text.js';
import type { SymptomCheckService } from '../src/domain/symptoms/service.js';
import { WellbeingDialog } from './wellbeing-dialog.js';
import { CrisisScreenDialog } from './crisis-screen-dialog.js';
import { EducationDialog } from './education-dialog.js';
import { DialogIds } from './ids.js';
import { identityOf } from './identity.js';
import { InterruptibleDialog } from './interruptible-dialog.js';
import { SymptomCheckDialog, type SymptomCheckOptions } from './symptom-check-dialog.js';

const CHECKIN = /^\s*(1|one|check.?in)\b|\bhow i feel\b/i;
const SYMPTOMS = /^\s*(2|two|symptoms?|check (a |my )?symptoms?)\W*$/i;
const QUESTION_MENU = /^\s*(3|three|question|ask)\W*$/i;
const GREETING = /^\s*(hi|hello|hey|hiya|hola|yo|good (morning|afternoon|evening)|menu|start over)\b/i;
const LOOKS_LIKE_QUESTION = /\?\s*$|^\s*(what|how|when|why|can|could|should|is|are|do|does|will|which)\b/i;

type Want = 'checkin' | 'symptoms' | 'unwell' | 'question' | 'ack' | 'menu';

export interface MainDialogServices {
  safety: SafetyService;
  wellbeing: WellbeingService;
  symptoms: SymptomCheckService;
  education: EducationService;
  settings: SafetySettings;
}

/**
 * Where every conversation starts. Enrolled patients can check in; everyone, enrolled or not, can check a
 * symptom or ask a health question. A message that is plainly a question, or names a symptom the triage rules
 * recognise, goes straight there; "not feeling well" starts a check by asking what is wrong; "ok thanks",
 * "took it" or "👍" get a short thanks, and anything else the menu, never a triage result. People CareLoop
 * does not know see no one's data.
 */
export class MainDialog extends InterruptibleDialog {
  constructor(private readonly services: MainDialogServices) {
    super(DialogIds.main, services.safety);
    this.addDialog(new TextPrompt(DialogIds.mainChoice));
    this.addDialog(new WellbeingDialog(services.safety, services.wellbeing));
    this.addDialog(new SymptomCheckDialog(services.safety, services.symptoms, services.settings));
    this.addDialog(new EducationDialog(services.safety, services.education));
    // Begun by the interrupts (InterruptibleDialog) when a patient voices a passive wish to die.
    this.addDialog(new CrisisScreenDialog(services.safety));
    this.addDialog(new WaterfallDialog(DialogIds.mainWaterfall, [this.greet.bind(this), this.route.bind(this), this.followOn.bind(this)]));
    this.initialDialogId = DialogIds.mainWaterfall;
  }

  private async greet(step: WaterfallStepContext) {
    const text = step.context.activity.text ?? '';
    const { patient } = identityOf(step.context);
    // A first message that already says what the patient wants goes straight there.
    if (this.wants(text, Boolean(patient)) !== 'menu') return step.next(text);
    const { clinicName, emergencyNumber } = this.services.settings;
    if (!patient) {
      return step.prompt(DialogIds.mainChoice, {
        prompt:
          `Hello, this is ${clinicName}'s CareLoop. I do not have a patient record for you, so I cannot see or share any personal information. ` +
          `Reply 2 to check a symptom or 3 to ask a health question. In an emergency call ${emergencyNumber}.`,
      });
    }
    const firstName = patient.name.split(/\s+/)[0];
    return step.prompt(DialogIds.mainChoice, {
      prompt: `Hi ${firstName}, this is ${clinicName}. Reply 1 to tell your care team how you are feeling today, 2 to check a symptom, 3 to ask a health question, AGENT to reach a nurse, or HELP for help.`,
    });
  }

  private async route(step: WaterfallStepContext) {
    const text = String(step.result ?? '');
    const { patient } = identityOf(step.context);
    switch (this.wants(text, Boolean(patient))) {
      case 'checkin':
        return step.beginDialog(DialogIds.wellbeing);
      case 'symptoms':
        return step.beginDialog(DialogIds.symptomCheck, (SYMPTOMS.test(text) ? {} : { text }) satisfies SymptomCheckOptions);
      case 'unwell':
        return step.beginDialog(DialogIds.symptomCheck, { unwell: true } satisfies SymptomCheckOptions);
      case 'question':
        return step.beginDialog(DialogIds.education, QUESTION_MENU.test(text) ? {} : { text });
      case 'ack':
        await step.context.sendActivity(
          patient
            ? 'Thank you. If you need anything, reply 1 to check in, 2 to check a symptom, 3 to ask a question, or AGENT to reach a nurse.'
            : 'Thank you. If you need anything, reply 2 to check a symptom or 3 to ask a health question.',
        );
        return step.endDialog();
      default:
        await step.context.sendActivity(
          patient
            ? 'Sorry, I did not understand that. Reply 1 to check in, 2 to check a symptom, 3 to ask a question, AGENT to reach a nurse, or HELP for help.'
            : 'Sorry, I did not understand that. Reply 2 to check a symptom or 3 to ask a health question.',
        );
        return step.endDialog();
    }
  }

  /** A symptom check that ended on a new question ("can I take ibuprofen?") hands it to education. */
  private async followOn(step: WaterfallStepContext) {
    const question = (step.result as { question?: string } | undefined)?.question;
    if (question) return step.beginDialog(DialogIds.education, { text: question });
    return step.endDialog(step.result);
  }

  private wants(text: string, enrolled: boolean): Want {
    const words = text.trim().split(/\s+/).filter(Boolean).length;
    // "hi", "hello?", "hi is this the clinic": a greeting gets the menu.
    if (words === 0 || (GREETING.test(text) && words <= 6)) return 'menu';
    if (enrolled && CHECKIN.test(text)) return 'checkin';
    if (SYMPTOMS.test(text)) return 'symptoms';
    if (QUESTION_MENU.test(text) || LOOKS_LIKE_QUESTION.test(text)) return 'question';
    // Free text is a symptom check only when it names a symptom: "sore throat since monday", not "ok thanks".
    const kind = classifyMenuText(text, (candidate) => this.services.symptoms.describesSymptoms(candidate));
    return kind === 'other' ? 'menu' : kind;
  }
}
