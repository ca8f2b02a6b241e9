/**
 * Numbers patients report from home devices: temperature, pulse, oxygen saturation, blood pressure, glucose.
 *
 * Read from the lower-cased (bounded) original text, because the word normaliser turns "190/115" into a phrase.
 * Every pattern is anchored on a short keyword or unit and uses bounded gaps, so the work is linear in the input.
 * Ambiguity resolves towards the more worrying reading: when several values are given, the one furthest from
 * normal is kept.
 */
import type { Readings } from '../triage/types.js';

export interface ReadingsFound {
  readings: Readings;
  temperatureC?: number;
}

const F_TO_C = (fahrenheit: number): number => Math.round(((fahrenheit - 32) * 5) / 9 * 10) / 10;
/** Keywords that make a nearby number something other than a temperature. */
const NOT_TEMPERATURE = /(sugar|glucose|\bbs\b|\bbg\b|\bbp\b|pressure|\bhr\b|pulse|heart|o2|sats?\b|oxygen|weigh|lbs|\bmg\b|\bml\b|mmol|dose|\bkg\b|pounds|minutes|mins)[^0-9]{0,12}$/;

/** A plausible body temperature in °C from a number and an optional unit letter, or undefined. */
function toCelsius(value: number, unit: string | undefined): number | undefined {
  const letter = unit?.[0];
  if (letter === 'c') return value >= 25 && value <= 45 ? value : undefined;
  if (letter === 'f') return value >= 80 && value <= 113 ? F_TO_C(value) : undefined;
  if (value >= 32 && value <= 43.5) return value;
  if (value >= 90 && value <= 110) return F_TO_C(value);
  return undefined;
}

function furthestFrom(normal: number, values: number[]): number | undefined {
  let best: number | undefined;
  for (const value of values) if (best === undefined || Math.abs(value - normal) > Math.abs(best - normal)) best = value;
  return best;
}

function numbers(raw: string, pattern: RegExp, group = 1): { value: number; index: number; match: RegExpMatchArray }[] {
  const found: { value: number; index: number; match: RegExpMatchArray }[] = [];
  for (const match of raw.matchAll(pattern)) {
    const value = Number((match[group] ?? '').replace(',', '.'));
    if (Number.isFinite(value)) found.push({ value, index: match.index ?? 0, match });
  }
  return found;
}

function temperatures(raw: string): number[] {
  const found: number[] = [];
  const feverContext = /(fever|temp|hot|burning up|thermometer|chills|febrile|feverish)/.test(raw);
  // "39.2c", "101 f", "38.5 degrees c", "102°f"
  for (const { value, match } of numbers(raw, /(?<![\d/.])(\d{2,3}(?:[.,]\d{1,2})?)\s*(?:°|º|deg(?:rees?)?)?\s*(c|f|celsius|centigrade|fahrenheit)\b/g)) {
    const celsius = toCelsius(value, match[2]);
    if (celsius !== undefined) found.push(celsius);
  }
  // "temp 38", "fever of 103", "temperature is 100.4", "thermometer says 39"
  for (const { value } of numbers(raw, /(?:temp\w*|fever\w*|thermometer|running|spik\w*|febrile)\b[^0-9\n]{0,20}?(\d{2,3}(?:[.,]\d{1,2})?)(?![\d/]|\s*(?:hours?|hrs?|days?|weeks?|wks?|minutes?|mins?|%|years?|months?))/g)) {
    const celsius = toCelsius(value, undefined);
    if (celsius !== undefined) found.push(celsius);
  }
  // A bare "101.5" or "38.9" when the message is about fever.
  if (feverContext && found.length === 0) {
    for (const { value, index } of numbers(raw, /(?<![\d/.,])(\d{2,3}[.,]\d)(?![\d/]|\s*(?:%|kg|lbs?|mmol|mg|pounds))/g)) {
      if (NOT_TEMPERATURE.test(raw.slice(Math.max(0, index - 20), index))) continue;
      const celsius = toCelsius(value, undefined);
      if (celsius !== undefined) found.push(celsius);
    }
  }
  return found;
}

/** Reads temperature and home readings from lower-cased text. */
export function extractReadings(raw: string): ReadingsFound {
  const readings: Readings = {};
  const pulses = numbers(raw, /\b(?:hr|heart ?rate|pulse(?! ?ox)|heartbeat|heart (?:is )?(?:at|going|racing|beating|pounding))\b(?:(?!temp|fever|o2|sat|bp|sugar|glucose|oxygen)[^0-9\n]){0,12}(\d{2,3})\b/g)
    .concat(numbers(raw, /\b(\d{2,3})\s*bpm\b/g))
    // "watch says 178", "190 on my watch", "fitbit 45": a wearable reads the pulse.
    .concat(numbers(raw, /\b(?:watch|fitbit|garmin|smartwatch|monitor)\b[^0-9\n]{0,10}(\d{2,3})\b/g))
    .concat(numbers(raw, /\b(\d{2,3})\s*(?:on|according to)\s*(?:my|his|her|the)\s*(?:watch|fitbit|garmin|smartwatch)\b/g))
    .map((found) => found.value)
    .filter((value) => value >= 20 && value <= 260);
  const pulse = furthestFrom(80, pulses);
  if (pulse !== undefined) readings.pulseBpm = pulse;

  const spo2Values = numbers(raw, /\b(?:o2|spo2|sp02|sats?|saturations?|oxygen(?: levels?| sat\w*)?|pulse ?ox(?:imeter)?|ox(?:imeter)?)\b[^0-9\n]{0,15}?(\d{2,3})(?!\d|\s*\/)/g)
    .concat(numbers(raw, /\b(\d{2,3})\s*%\s*(?:on\s+)?(?:o2|oxygen|sats?|spo2)/g))
    .map((found) => found.value)
    .filter((value) => value >= 50 && value <= 100);
  const baseline = /\b(normal for (me|him|her|them)|(my|his|her|their) (usual|normal|baseline)|always (about|around|that))\b/.test(raw);
  if (spo2Values.length > 0 && !(baseline && Math.min(...spo2Values) >= 88)) readings.spo2Pct = Math.min(...spo2Values);

  const pressures = numbers(raw, /\b(\d{2,3})\s*(?:\/|over)\s*(\d{2,3})\b/g)
    .map(({ match, index }) => ({ systolic: Number(match[1]), diastolic: Number(match[2]), index }))
    .filter(({ systolic, diastolic }) => systolic >= 60 && systolic <= 280 && diastolic >= 30 && diastolic <= 180 && systolic > diastolic);
  if (pressures.length > 0) {
    const worst = pressures.reduce((left, right) => (right.systolic > left.systolic || right.systolic < 90 ? right : left));
    readings.systolic = worst.systolic;
    readings.diastolic = worst.diastolic;
  }

  const glucoseValues: number[] = [];
  for (const { value, match } of numbers(raw, /\b(?:sugars?|glucose|bs|bg|bgl|cbg|blood sugar|meter|cgm|dexcom|libre)\b[^0-9\n]{0,15}?(\d{1,3}(?:[.,]\d)?)\s*(mmol|mg)?/g)) {
    // Below 35 without "mg" is read as mmol/L: 28 mmol/L and 28 mg/dL are both dangerous, so either way it is flagged.
    const mgDl = match[2] === 'mmol' || (match[2] !== 'mg' && value < 35) ? Math.round(value * 18) : value;
    if (mgDl >= 10 && mgDl <= 1500) glucoseValues.push(mgDl);
  }
  if (glucoseValues.length > 0) {
    const low = glucoseValues.filter((value) => value < 70);
    readings.glucoseMgDl = low.length > 0 ? Math.min(...low) : Math.max(...glucoseValues);
  }

  const rates = numbers(raw, /\b(\d{1,3})\s*(?:breaths|times)\s*(?:a|per|\/)\s*min/g).map((found) => found.value).filter((value) => value >= 4 && value <= 120);
  if (rates.length > 0) readings.respiratoryRate = Math.max(...rates);

  // "peak flow 140, my best is 450", "pf 200 (normal 500)": a percentage of the person's best, as asthma plans use it.
  const flow = /\b(?:peak ?flow|pef|pefr|pf)\b[^0-9\n]{0,12}(\d{2,3})\b/.exec(raw);
  const best = /\b(?:best|normal|usual|predicted|target)\b[^0-9\n]{0,12}(\d{2,3})\b/.exec(raw);
  if (flow && best && Number(best[1]) >= 150) {
    const pct = Math.round((100 * Number(flow[1])) / Number(best[1]));
    if (pct >= 5 && pct <= 150) readings.peakFlowPct = pct;
  }

  const temperatureC = furthestFrom(37, temperatures(raw));
  return temperatureC === undefined ? { readings } : { readings, temperatureC };
}
