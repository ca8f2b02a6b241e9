/** Every dialog and prompt id, in one place (they are persisted in dialog state: never rename one lightly). */
export const DialogIds = {
  main: 'main',
  mainWaterfall: 'main.waterfall',
  mainChoice: 'main.choice',
  checkin: 'checkin',
  checkinWaterfall: 'checkin.waterfall',
  checkinScore: 'checkin.score',
  checkinNote: 'checkin.note',
  symptomCheck: 'symptom',
  symptomWaterfall: 'symptom.waterfall',
  symptomText: 'symptom.text',
  symptomFollowUp: 'symptom.followup',
  education: 'education',
  educationWaterfall: 'education.waterfall',
  educationQuestion: 'education.question',
} as const;
