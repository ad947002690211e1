import type { ReviewNote, SeedFile } from '@naravard/db';
import type { DraftedAssignment } from './assignments.ts';
import { matchKnown } from './known.ts';
import type { KnownEntities } from './model.ts';
import { foldName, personNameAt, slug } from './names.ts';
import { BODY_WORD, capitalise, organisationKind } from './organisations.ts';
import type { Lines, Span } from './text.ts';

type Organisation = SeedFile['organisations'][number];
type Person = SeedFile['people'][number];

/** The people and bodies a draft names: matched with known ones, otherwise defined once with their first citation. */
export class Records {
  people = new Map<string, Person>();
  organisations = new Map<string, Organisation>();
  constructor(
    private readonly lines: Lines,
    private readonly region: string | null,
    private readonly known: KnownEntities,
  ) {}

  /** A person's key; `written` is the spelling in the text when it differs (kept as an alias). */
  person(name: string, span: Span, written?: string): string {
    const match = matchKnown(name, this.known.people, this.region);
    const key = match?.key ?? `person:${this.region ?? 'se'}:${slug(name)}`;
    const canonical = match?.name ?? name;
    const spellings = [name, written].filter((spelling): spelling is string => spelling !== undefined && spelling !== canonical);
    const earlier = this.people.get(key);
    if (!earlier) {
      this.people.set(key, { key, name: canonical, aliases: [...new Set([...(match?.aliases ?? []), ...spellings])], cite: [this.lines.cite(span)] });
    } else {
      earlier.aliases = [...new Set([...earlier.aliases, ...spellings])];
    }
    return key;
  }

  personName(key: string) {
    return this.people.get(key)?.name ?? key;
  }

  /** A body's key: a known one, or one defined here citing where it is named. */
  organisation(name: string, span: Span): string {
    const match = matchKnown(name, this.known.organisations, this.region, { body: true });
    const key = match?.key ?? `org:${this.region ?? 'se'}:${slug(name)}`;
    if (!this.organisations.has(key)) {
      this.organisations.set(key, {
        key,
        kind: organisationKind(match?.name ?? name),
        name: match?.name ?? capitalise(name),
        aliases: match ? match.aliases : ownerless(name),
        region: this.region,
        parent: null,
        ownership: null,
        organisationNumber: null,
        description: null,
        cite: [this.lines.cite(span)],
      });
    }
    return key;
  }

  /** A body this draft names already (its name or an alias, as folded), or a known one: its key. */
  namedBody(name: string, span: Span): string | null {
    const folded = foldName(name);
    for (const organisation of this.organisations.values()) {
      if ([organisation.name, ...organisation.aliases].some((spelling) => foldName(spelling) === folded)) return organisation.key;
    }
    const match = matchKnown(name, this.known.organisations, this.region, { body: true });
    return match ? this.organisation(match.name, span) : null;
  }

  /** Who an assignment names, among the attendees (full name, first name, title), known records, or as a new body. */
  assignee(assignment: DraftedAssignment, attendees: { key: string; name: string; title: string | null }[], review: ReviewNote[]): { kind: 'person' | 'organisation'; key: string } | null {
    const who = assignment.assignee;
    const at: [number, number] = [assignment.span.first, assignment.span.last];
    if (!who) {
      if (assignment.unnamed) review.push({ lines: at, text: assignment.sentence, why: assignment.unnamed });
      return null;
    }
    const folded = foldName(who);
    const byName = attendees.filter((attendee) => foldName(attendee.name) === folded);
    if (byName.length === 1) return { kind: 'person', key: byName[0]!.key };
    const byFirstName = attendees.filter((attendee) => foldName(attendee.name).split(' ')[0] === folded);
    if (byFirstName.length === 1 && !folded.includes(' ')) return { kind: 'person', key: byFirstName[0]!.key };
    const byTitle = attendees.filter((attendee) => attendee.title && sameTitle(attendee.title, who));
    if (byTitle.length === 1) return { kind: 'person', key: byTitle[0]!.key };
    const body = this.namedBody(who, assignment.span);
    if (body) return { kind: 'organisation', key: body };
    const knownPerson = matchKnown(who, this.known.people, this.region);
    if (knownPerson) return { kind: 'person', key: this.person(knownPerson.name, assignment.span) };
    // "förvaltningarna", "kommunerna": several bodies, not one the record can point to.
    if (/^[a-zåäö]+(?:arna|erna|orna)$/iu.test(who)) {
      review.push({ lines: at, text: assignment.sentence, why: `the assignee "${who}" names several bodies, not one: left empty` });
      return null;
    }
    if (BODY_WORD.test(who) || /^[A-ZÅÄÖ][a-zåäö]+(en|et|na)$/.test(who)) {
      return { kind: 'organisation', key: this.organisation(who, assignment.span) };
    }
    if (personNameAt(who) === who) return { kind: 'person', key: this.person(who, assignment.span) };
    review.push({ lines: at, text: assignment.sentence, why: `the assignee "${who}" is not among the attendees nor a known person or body: left empty` });
    return null;
  }
}

/** "Hälso- och sjukvårdsdirektör" names the same post as "hälso- och sjukvårdsdirektören". */
function sameTitle(title: string, who: string): boolean {
  const base = (value: string) => foldName(value).replace(/(en|n)$/, '');
  const titleBase = base(title.split(/[,/]/)[0]!);
  return titleBase.length > 3 && titleBase === base(who);
}

/**
 * "Hälso- och sjukvårdsnämndens beredning för närsjukvård" is also called by its own name,
 * "Beredning för närsjukvård": the body named after its owner, both bodies. A name that says
 * no more than the kind of body ("arbetsutskott", which every board has) is no alias.
 */
function ownerless(name: string): string[] {
  const owned = /^(.*\p{L}s)\s+(\p{Ll}\S*\s+(?:för|i|inom)\s+\S.*)$/u.exec(name.trim());
  if (!owned || !BODY_WORD.test(owned[1]!) || !BODY_WORD.test(owned[2]!)) return [];
  return [capitalise(owned[2]!)];
}
