/**
 * Names of people and bodies: folding for comparison (case, accents and the usual OCR confusions),
 * slugs for keys, and reading "Förnamn Efternamn, titel" lines.
 */

/** Lower case, accents removed, OCR look-alikes made equal, spaces folded: for comparing names. */
export function foldName(value: string): string {
  return value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/6/g, 'o')
    .replace(/0/g, 'o')
    // OCR confuses i, l, 1 and | (and 0/o, 6/ö, rn/m): they compare as one letter.
    .replace(/[il1|!]/g, 'l')
    .replace(/rn/g, 'm')
    .replace(/[^a-z\s-]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A key part: "Hälso- och sjukvårdsnämnden" → "halso-och-sjukvardsnamnden". */
export function slug(value: string): string {
  return value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/g, '');
}

const NAME_WORD = "[A-ZÅÄÖÉÜ][a-zåäöéèüß'’]+(?:-[A-ZÅÄÖÉ][a-zåäöéèüß]+)?";
const INITIAL = '[A-ZÅÄÖ]\\.?';
/** Two to four capitalised words, middle initials allowed: "Roger O Nilsson", "Anna-Karin Berg". */
export const PERSON_NAME = new RegExp(`^(${NAME_WORD}(?:\\s+(?:${INITIAL}|${NAME_WORD})){0,2}\\s+${NAME_WORD})(?![\\p{L}\\p{N}])`, 'u');

/** Capitalised words that open sentences or name roles and places, never people. */
const NOT_NAMES = new Set(
  [
    'beslut', 'inriktningsbeslut', 'region', 'regionen', 'styrgrupp', 'styrgruppen', 'dialog', 'information', 'ordförande',
    'sekreterare', 'närvarande', 'frånvarande', 'justerare', 'ersättare', 'ledamöter', 'plats', 'datum', 'tid', 'punkt',
    'mötet', 'nästa', 'se', 'för', 'vid', 'om', 'den', 'det', 'de', 'vi', 'man', 'hälso', 'kommun', 'kommunen', 'förslag',
    'frågor', 'svar', 'utifrån', 'under', 'inom', 'genom', 'efter', 'beslutande', 'tjänstemän', 'övriga', 'deltagare',
    'enligt', 'även', 'dessutom', 'därefter', 'sedan', 'också', 'när', 'då', 'till', 'från', 'med', 'av',
    'närsjukvård', 'vårdcentral', 'vårdcentralen', 'protokoll', 'sammanträde', 'anteckningar', 'minnesanteckningar',
  ].map((word) => word.toLowerCase()),
);

export interface NamedPerson {
  name: string;
  title: string | null;
}

/** A capitalised word sequence that reads as a person's name, or null. */
export function personNameAt(value: string): string | null {
  const match = PERSON_NAME.exec(value.trim());
  if (!match) return null;
  const words = match[1]!.split(/\s+/);
  if (words.some((word) => NOT_NAMES.has(word.toLowerCase().replace(/\.$/, '')))) return null;
  return match[1]!;
}

/**
 * Reads "Roger O Nilsson, Hälso- och sjukvårdsdirektör," or "Anna Berg (S)" or "Britta Engvall
 * utvecklingsledare Region Halland": the name, and what follows as the title. Null when the line
 * does not start with a name.
 */
export function readPersonLine(line: string): NamedPerson | null {
  const trimmed = line.trim().replace(/^[-•–*]\s*/, '');
  const name = personNameAt(trimmed);
  if (!name) return null;
  // A party in brackets, "(S)", is not a title.
  const rest = trimmed
    .slice(name.length)
    .replace(/^\s*\([A-ZÅÄÖ]{1,4}\)/, '')
    .replace(/^\s*[,(–-]\s*/, '')
    .replace(/[)\s,/.;]+$/, '')
    .trim();
  return { name, title: rest === '' ? null : rest };
}

/** Splits "Karin Nordstrand och Rickard Ekdal, ekonom" and "A, B och C" into person parts. */
export function splitPeople(value: string): string[] {
  return value
    .split(/\s+och\s+(?=[A-ZÅÄÖ])|\s*[,;/]\s*(?=[A-ZÅÄÖ][a-zåäö]+\s+[A-ZÅÄÖ])|\s*\/\s*/u)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}
