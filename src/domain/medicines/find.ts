/**
 * Finds the medicines, classes and substances a message names, tolerant of case, brands, misspellings and
 * typos (all from the table), plus words that look like a medicine we do not list ("amlodipine").
 */
import type { MedicineCatalog } from './compile.js';
import { followedByAny, medicineStatus, phrasesAt, type Clauses } from './language.js';

/** One medicine (or class, or substance such as alcohol) named in a message. */
export interface MedicineMention {
  /** Table id; for a medicine we do not list, `unlisted:<word>`. */
  id: string;
  kind: 'medicine' | 'substance' | 'class' | 'unlisted';
  /** How the answer names it: "Doryx (doxycycline)", "warfarin", "blood thinners (anticoagulants)". */
  name: string;
  /** The patient's words, in canonical spelling. */
  said: string;
  /** Its own id and every class it belongs to. */
  groups: string[];
  /** `negated`: "I'm not on warfarin"; `stopped`: "I stopped lithium last week" (still counts for levels and pregnancy). */
  status: 'current' | 'negated' | 'stopped';
}

const STATUS_RANK = { current: 2, stopped: 1, negated: 0 } as const;

/** Mentions in `clauses`, one per id (the most affirmative reading wins), in order of first mention. */
export function findInClauses(clauses: Clauses, catalog: MedicineCatalog): MedicineMention[] {
  const byId = new Map<string, MedicineMention>();
  const keep = (mention: MedicineMention): void => {
    const existing = byId.get(mention.id);
    if (!existing || STATUS_RANK[mention.status] > STATUS_RANK[existing.status]) byId.set(mention.id, existing ? { ...mention, name: existing.name } : mention);
  };
  for (const words of clauses) {
    let index = 0;
    while (index < words.length) {
      const found = nameAt(words, index, catalog);
      if (found) {
        keep({ ...found.mention, status: medicineStatus(words, index, index + found.length) });
        index += found.length;
      } else {
        index++;
      }
    }
  }
  return [...byId.values()];
}

function nameAt(words: readonly string[], index: number, catalog: MedicineCatalog): { mention: Omit<MedicineMention, 'status'>; length: number } | undefined {
  const [longest] = phrasesAt(catalog.names, words, index);
  const hit = longest?.values[0];
  if (longest && hit) {
    const said = words.slice(index, index + longest.length).join(' ');
    return { mention: fromEntity(hit.entityId, said, hit.brand, catalog), length: longest.length };
  }
  const word = words[index] ?? '';
  const ambiguous = catalog.ambiguous.get(word);
  if (ambiguous && !followedByAny(words, index + 1, ambiguous.notFollowedBy) && !ambiguous.notPrecededBy.has(words[index - 1] ?? '')) {
    return { mention: fromEntity(ambiguous.entityId, word, false, catalog), length: 1 };
  }
  if (looksLikeUnlistedMedicine(word, catalog)) {
    return { mention: { id: `unlisted:${word}`, kind: 'unlisted', name: word, said: word, groups: [] }, length: 1 };
  }
  return undefined;
}

function fromEntity(entityId: string, said: string, brand: boolean, catalog: MedicineCatalog): Omit<MedicineMention, 'status'> {
  const entity = catalog.entities.get(entityId);
  if (!entity) throw new Error(`medicine catalog: name points at unknown entry ${entityId}`);
  const name = brand ? `${said.split(' ').map(capitalise).join(' ')} (${entity.name})` : entity.name;
  return { id: entity.id, kind: entity.kind, name, said, groups: [...entity.groups] };
}

/** A word ending like a medicine name (-pril, -olol, -prazole) that is neither in the table nor a known word. */
function looksLikeUnlistedMedicine(word: string, catalog: MedicineCatalog): boolean {
  if (word.length < catalog.unlisted.minLength || !/^[a-z]+$/.test(word) || catalog.reader.isKnownWord(word)) return false;
  return catalog.unlisted.suffixes.some((suffix) => word.endsWith(suffix));
}

/** Mentions for medicines the caller already knows the patient takes (a medication list), all current. */
export function mentionsFromList(names: readonly string[], catalog: MedicineCatalog): MedicineMention[] {
  return names.flatMap((name) => findInClauses(catalog.reader.read(name), catalog)).map((mention) => ({ ...mention, status: 'current' as const }));
}

/** Merges mention lists, one per id, keeping the first list's wording and the most affirmative status. */
export function mergeMentions(...lists: readonly MedicineMention[][]): MedicineMention[] {
  const byId = new Map<string, MedicineMention>();
  for (const mention of lists.flat()) {
    const existing = byId.get(mention.id);
    if (!existing) byId.set(mention.id, mention);
    else if (STATUS_RANK[mention.status] > STATUS_RANK[existing.status]) byId.set(mention.id, { ...existing, status: mention.status });
  }
  return [...byId.values()];
}

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
