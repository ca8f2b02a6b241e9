import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODEL_FINDINGS_PROMPT, modelFindingsSchema, toFindings, type ModelFindings } from '../../src/domain/symptoms/model-findings.js';
import { SymptomCheckService } from '../../src/domain/symptoms/service.js';
import { LanguageModel } from '../../src/integrations/azure-openai/client.js';
import { startFakeAzureOpenAI, type FakeAzureOpenAI } from '../fakes/azure-openai-server.js';

let fake: FakeAzureOpenAI;
let withModel: SymptomCheckService;
let rulesOnly: SymptomCheckService;

const settings = { emergencyNumber: '911', crisisLine: '988' };
const nothing: ModelFindings = {
  symptoms: [], temperatureC: null, pulseBpm: null, spo2Pct: null, systolic: null, diastolic: null,
  pregnant: null, recentSurgery: null, anticoagulated: null, immunosuppressed: null, subject: 'self', age: null,
};

beforeAll(async () => {
  fake = await startFakeAzureOpenAI({ apiKey: 'test-key-0123456789', deployment: 'gpt-test' });
  const model = new LanguageModel({ endpoint: fake.url, apiKey: 'test-key-0123456789', deployment: 'gpt-test', apiVersion: '2024-10-21', timeoutMs: 3000 });
  const extractor = async (text: string) => {
    const extracted = await model.extractJson({ system: MODEL_FINDINGS_PROMPT, user: text, schema: modelFindingsSchema, schemaName: 'symptom_findings' });
    return extracted && toFindings(extracted);
  };
  // These checks assess only; raising alerts is the AlertService's (covered in escalation.test.ts).
  const alerts = { raise: async () => ({ raised: false }) as never };
  withModel = new SymptomCheckService({ alerts, settings, extractor });
  rulesOnly = new SymptomCheckService({ alerts, settings });
});
afterAll(() => fake.close());

// A long, messy message in which the one number that matters is easy for word rules to miss.
const messy = 'ok so the thing on my finger clip thing from the pharmacy, the oxygen one, it kept flashing 87 87 88 and i have been kind of puffing going up the stairs today, probably nothing';

describe('symptom checks with an optional model extracting findings', () => {
  it('lets extracted findings raise the level, through the same rules, with the rule that decided', async () => {
    fake.reset();
    fake.extractionResult = { ...nothing, spo2Pct: 87, symptoms: [{ code: 'shortness_of_breath', negated: false, severity: 'mild', durationHours: 8 }] };
    const rules = await rulesOnly.assess({ text: messy });
    const assisted = await withModel.assess({ text: messy });
    expect(assisted.level).toBe('emergency');
    expect(assisted.rule.id).toBe('breathing.low_oxygen');
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]!.body?.response_format?.json_schema?.name).toBe('symptom_findings');
    expect(rules.level).not.toBe('emergency'); // the word rules alone miss it: the model's help is what raised it
  });

  it('never lets the model lower a level the rules set', async () => {
    fake.reset();
    fake.extractionResult = { ...nothing, symptoms: [{ code: 'chest_pain', negated: true, severity: null, durationHours: null }] };
    const result = await withModel.assess({ text: 'crushing chest pain spreading to my jaw, sweating, started 20 minutes ago', age: 58 });
    expect(result.level).toBe('emergency');
  });

  it('falls back to the rules alone when the model is down or answers nonsense', async () => {
    fake.reset();
    fake.respondWith(() => ({ status: 500, body: { error: { message: 'down' } } }));
    const down = await withModel.assess({ text: 'mild sore throat since yesterday, no fever' });
    fake.respondWith(() => '{"not":"the schema"}');
    const nonsense = await withModel.assess({ text: 'mild sore throat since yesterday, no fever' });
    const rules = await rulesOnly.assess({ text: 'mild sore throat since yesterday, no fever' });
    expect([down.level, nonsense.level]).toEqual([rules.level, rules.level]);
  });
});
