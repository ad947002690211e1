import type { ReviewNote, SeedFile } from '@naravard/db';
import type { FoundAmount } from './amounts.ts';
import { regionShortName } from './document.ts';
import { foldName, slug } from './names.ts';
import type { Lines } from './text.ts';

/** Words by which a sentence says the amount was granted, applied for, or shared out. */
const AWARDED = /(?<!\p{L})(beviljas|beviljats|beviljades|beviljat|tilldelas|tilldelats|tilldelades|fått|erhållit|erhöll)(?!\p{L})/iu;
const REQUESTED = /(?<!\p{L})(rekvireras|rekvirerats|rekvirerades|ansökt\s+om|ansöker\s+om|ansöktes)(?!\p{L})/iu;
const ALLOCATED = /(?<!\p{L})(fördelas|fördelats|fördelades|fördelat)(?!\p{L})/iu;
/** What makes the amount less than a stated fact: a proposal, a possibility, a negation, a plan. */
const UNCERTAIN = /(?<!\p{L})(inte|ej|inga|föreslår|föreslås|förslag\p{L}*|kan|kunna|skulle|planeras|planerar|beräknas|budgeteras|preliminärt|om\s+det)(?!\p{L})/iu;
/** Rates and ceilings need a unit the sentence seldom states plainly: left to a reader. */
const RATE_OR_CAP = /(per\s+(?:listad|invånare|besök|patient|månad|år)|kronor\s*\/|kr\s*\/|upp\s+till|högst|maximalt|max\s)/iu;
const APPROXIMATE = /(?<!\p{L})(cirka|ca\.?|omkring|ungefär|drygt|knappt)\s*$/iu;
/** The programme as the sentence names it: "statsbidrag för god och nära vård", "sektorsbidraget", "en statlig satsning". */
const WORD = String.raw`(?!(?:som|till|i|med|under|enligt|av|är|har|kommer|ska|samt)(?!\p{L}))[a-zåäö][\wåäö-]*`;
const PROGRAMME = new RegExp(
  String.raw`(?<!\p{L})((?:statliga\s+)?(?:statsbidrag(?:et)?|sektorsbidrag(?:et)?|stimulansmedel|stimulansmedlen|prestationsmedel|prestationsmedlen|statlig\s+satsning|statliga\s+satsningen|överenskommelsen)(?:\s+(?:för|om|inom)\s+${WORD}(?:\s+(?:och\s+)?${WORD}){0,3})?)(?!\p{L})`,
  'iu',
);
/** "till vårdcentralerna", "till respektive kommun": who receives an allocation, as written. */
const TO = /(?<!\p{L})till\s+((?:respektive\s+)?[a-zåäöA-ZÅÄÖ][\wåäö-]*(?:\s+(?:i|inom|och)\s+[A-ZÅÄÖa-zåäö][\wåäö-]*){0,2})/u;

type Seed = SeedFile;
const capitalise = (value: string) => value.charAt(0).toUpperCase() + value.slice(1);

/**
 * Drafts an amount as a grant or an allocation only when its sentence says which: granted
 * ("beviljas", "har fått"), applied for ("rekvirerats"), or shared out ("fördelas"), with the
 * programme named, one amount in the sentence, one year, and (for a grant) the region as the
 * recipient. Anything less (a proposal, a rate, two amounts, no programme or year) goes to review
 * with the amount in SEK.
 */
export function draftFunds(lines: Lines, amounts: FoundAmount[], seed: Seed, short: string, region: string | null, review: ReviewNote[]) {
  for (const amount of amounts) {
    const reason = unread(amount, region);
    if (typeof reason === 'string') {
      review.push({ lines: amount.lines, text: amount.text, why: `amount read as ${amount.sek} SEK; ${reason}, so whose grant or allocation it is, and for which period, needs a reader` });
      continue;
    }
    const { kind, programme, period } = reason;
    const cite = [lines.cite({ first: amount.lines[0], last: amount.lines[1] })];
    const name = capitalise(programme.replace(/^(?:det|den|en)\s+/i, ''));
    const programmeKey = `grant-programme:${short}:${slug(name)}`;
    if (!seed.grantProgrammes.some((g) => g.key === programmeKey)) {
      seed.grantProgrammes.push({ key: programmeKey, name, legalBasis: null, grantor: null, description: null, topics: [], cite });
    }
    const approximate = APPROXIMATE.test(amount.text.slice(0, amount.text.indexOf(amount.written)));
    const at = `${amount.lines[0]}`;
    if (kind === 'allocation') {
      const to = TO.exec(amount.text.slice(amount.text.indexOf(amount.written)));
      seed.allocations.push({
        key: `allocation:${short}:${slug(name)}-${period ?? at}-${at}`, grant: null, programme: programmeKey, fromOrganisation: null, recipientOrganisation: null,
        recipientDescription: to ? capitalise(to[1]!.trim()) : null, region, period, amountSek: amount.sek, rateSek: null, rateMaxSek: null, rateUnit: null,
        capSek: null, capUnit: null, paidOn: null, description: amount.text, cite,
      });
    } else {
      seed.grants.push({
        key: `grant:${short}:${slug(name)}-${period}-${at}`, programme: programmeKey, recipientRegion: region, recipientOrganisation: null, period: period!,
        amountSek: amount.sek, amountIsApproximate: approximate, status: kind, requisitionDueOn: null, description: amount.text, cite,
      });
    }
    review.push({ lines: amount.lines, text: amount.text, why: `drafted as ${kind === 'allocation' ? 'an allocation' : `a grant (${kind})`} of ${amount.sek} SEK from "${name}", the programme as written: link it to the programme it is` });
  }
}

type Read = { kind: 'awarded' | 'requested' | 'allocation'; programme: string; period: string | null };

/** What the sentence says of the amount, or why it cannot be drafted. */
function unread(amount: FoundAmount, region: string | null): Read | string {
  const text = amount.text;
  if (amount.inSentence > 1) return 'the sentence states more than one amount';
  const kind = ALLOCATED.test(text) ? 'allocation' : REQUESTED.test(text) ? 'requested' : AWARDED.test(text) ? 'awarded' : null;
  if (kind === null) return 'the text does not say it was granted, applied for or shared out';
  if (UNCERTAIN.test(text)) return 'the sentence does not state it as a fact';
  if (RATE_OR_CAP.test(text)) return 'a rate or a ceiling';
  const programme = PROGRAMME.exec(text)?.[1];
  if (!programme) return 'the sentence names no grant programme';
  const years = [...new Set(text.match(/(?<![0-9])20[0-9]{2}(?![0-9])/g) ?? [])];
  if (years.length > 1) return 'the sentence names more than one year';
  const period = years[0] ?? null;
  if (kind !== 'allocation') {
    if (period === null) return 'the sentence names no year';
    const name = foldName(regionShortName(region));
    if (!region || name === '' || !foldName(text).includes(name)) return 'the sentence does not name the region as the recipient';
  }
  return { kind, programme, period };
}
