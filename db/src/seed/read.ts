import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readReferenceData } from '../reference.ts';
import {
  type SeedCitation,
  type SeedFile,
  seedFileSchema,
  type TopicsFile,
  topicsFileSchema,
} from './format.ts';

export const SEED_FOLDER = fileURLToPath(new URL('../../seed', import.meta.url));

/** Collapses every run of whitespace to one space, so line breaks in a PDF's text do not break quotes. */
export const foldWhitespace = (value: string) => value.replace(/\s+/g, ' ').trim();

export interface SeedDocument {
  key: string;
  text: string;
  lines: string[];
  sha256: string;
  seed: SeedFile;
  /** The seed file name, for messages. */
  fileName: string;
}

export interface SeedSet {
  documents: SeedDocument[];
  topics: TopicsFile;
}

/** A problem found in the seed files, with where it is. */
export class SeedError extends Error {
  constructor(readonly problems: string[]) {
    super(`The seed data set has ${problems.length} problem(s):\n- ${problems.join('\n- ')}`);
    this.name = 'SeedError';
  }
}

/** Reads and validates every seed file; throws a SeedError listing all problems found. */
export function readSeedSet(folder: string = SEED_FOLDER): SeedSet {
  const problems: string[] = [];
  const topics = topicsFileSchema.parse(JSON.parse(readFileSync(join(folder, 'topics.json'), 'utf8')));
  const documents: SeedDocument[] = [];
  const files = readdirSync(folder)
    .filter((name) => name.endsWith('.json') && name !== 'topics.json')
    .sort();
  for (const fileName of files) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(join(folder, fileName), 'utf8'));
    } catch (error) {
      problems.push(`${fileName}: not valid JSON: ${(error as Error).message}`);
      continue;
    }
    const parsed = seedFileSchema.safeParse(json);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`${fileName}: ${issue.path.join('.')}: ${issue.message}`);
      continue;
    }
    const text = readFileSync(join(folder, 'documents', parsed.data.document.file), 'utf8');
    documents.push({
      key: parsed.data.document.key,
      text,
      lines: text.split('\n'),
      sha256: createHash('sha256').update(text).digest('hex'),
      seed: parsed.data,
      fileName,
    });
  }
  if (problems.length === 0) problems.push(...checkSeedSet({ documents, topics }));
  if (problems.length > 0) throw new SeedError(problems);
  return { documents, topics };
}

/** Every citation in a seed file, with the path of the record that carries it. */
export function* citationsOf(seed: SeedFile): Generator<{ path: string; key: string; citation: SeedCitation }> {
  function* walk(value: unknown, path: string): Generator<{ path: string; key: string; citation: SeedCitation }> {
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) yield* walk(item, `${path}[${index}]`);
    } else if (value && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      if (Array.isArray(record.cite) && typeof record.key === 'string') {
        for (const citation of record.cite as SeedCitation[]) yield { path, key: record.key, citation };
      }
      for (const [field, child] of Object.entries(record)) {
        if (field !== 'cite' && child && typeof child === 'object') yield* walk(child, `${path}.${field}`);
      }
    }
  }
  yield* walk(seed, '');
}

/** Checks what the schema alone cannot: unique keys, references that resolve, quotes that stand where they say. */
export function checkSeedSet({ documents, topics }: SeedSet): string[] {
  const problems: string[] = [];
  const reference = readReferenceData();
  const regionCodes = new Set(reference.counties.map((county) => county.code));
  const topicSlugs = new Set(topics.map((topic) => topic.slug));
  const documentsByKey = new Map(documents.map((document) => [document.key, document]));

  // Every key, with what it names. Organisations and people may be named in several files.
  const keys = new Map<string, { kind: string; name?: string; file: string }>();
  for (const municipality of reference.municipalities) {
    keys.set(`municipality:${municipality.code}`, { kind: 'organisation', name: municipality.name, file: 'reference' });
  }
  const define = (key: string, kind: string, file: string, name?: string) => {
    const earlier = keys.get(key);
    if (!earlier) return void keys.set(key, { kind, file, ...(name === undefined ? {} : { name }) });
    const shareable = kind === 'organisation' || kind === 'person';
    if (!shareable || earlier.kind !== kind || earlier.name !== name) {
      problems.push(`${file}: key ${key} is already defined in ${earlier.file} as another record`);
    }
  };
  for (const { seed, fileName: file } of documents) {
    define(seed.document.key, 'document', file);
    for (const o of seed.organisations) define(o.key, 'organisation', file, o.name);
    for (const p of seed.people) define(p.key, 'person', file, p.name);
    for (const m of seed.memberships) define(m.key, 'membership', file);
    for (const m of seed.meetings) {
      define(m.key, 'meeting', file);
      for (const p of m.participants) define(p.key, 'participant', file);
      for (const item of m.agendaItems) {
        define(item.key, 'agenda_item', file);
        for (const d of item.decisions) define(d.key, 'decision', file);
      }
    }
    for (const d of seed.decisions) define(d.key, 'decision', file);
    for (const a of seed.assignments) {
      define(a.key, 'assignment', file);
      for (const r of a.reports) define(r.key, 'assignment_report', file);
    }
    for (const a of seed.audits) {
      define(a.key, 'audit', file);
      for (const r of a.recommendations) define(r.key, 'recommendation', file);
      for (const r of a.responses) {
        define(r.key, 'audit_response', file);
        for (const part of r.parts) define(part.key, 'recommendation_response', file);
      }
    }
    for (const g of seed.grantProgrammes) define(g.key, 'grant_programme', file);
    for (const g of seed.grants) define(g.key, 'grant', file);
    for (const a of seed.allocations) define(a.key, 'allocation', file);
    for (const i of seed.indicators) {
      define(i.key, 'indicator', file);
      for (const t of i.targets) define(t.key, 'indicator_target', file);
    }
    for (const o of seed.observations) define(o.key, 'observation', file);
  }

  for (const { seed, fileName: file } of documents) {
    const expect = (kind: string, value: string | null, where: string) => {
      if (value === null) return;
      const found = keys.get(value);
      if (!found) problems.push(`${file}: ${where}: no ${kind} has the key ${value}`);
      else if (found.kind !== kind) problems.push(`${file}: ${where}: ${value} is a ${found.kind}, not a ${kind}`);
    };
    const region = (value: string | null, where: string) => {
      if (value !== null && !regionCodes.has(value)) problems.push(`${file}: ${where}: no region has the code ${value}`);
    };
    const tagged = (slugs: string[], where: string) => {
      for (const slug of slugs) if (!topicSlugs.has(slug)) problems.push(`${file}: ${where}: no topic ${slug} in topics.json`);
    };
    const d = seed.document;
    region(d.region, 'document.region');
    expect('organisation', d.issuedBy, 'document.issuedBy');
    tagged(d.topics, 'document.topics');
    for (const o of seed.organisations) {
      region(o.region, o.key);
      expect('organisation', o.parent, `${o.key}.parent`);
    }
    for (const m of seed.memberships) {
      expect('person', m.person, `${m.key}.person`);
      expect('organisation', m.organisation, `${m.key}.organisation`);
    }
    for (const m of seed.meetings) {
      expect('organisation', m.organisation, `${m.key}.organisation`);
      region(m.region, m.key);
      tagged(m.topics, m.key);
      for (const p of m.participants) {
        expect('person', p.person, `${p.key}.person`);
        expect('organisation', p.organisation, `${p.key}.organisation`);
      }
      const ordinals = new Set<number>();
      for (const item of m.agendaItems) {
        if (ordinals.has(item.ordinal)) problems.push(`${file}: ${item.key}: ordinal ${item.ordinal} is used twice in ${m.key}`);
        ordinals.add(item.ordinal);
        tagged(item.topics, item.key);
        for (const decision of item.decisions) {
          expect('organisation', decision.decidedBy, `${decision.key}.decidedBy`);
          region(decision.region, decision.key);
          tagged(decision.topics, decision.key);
        }
      }
    }
    for (const decision of seed.decisions) {
      expect('organisation', decision.decidedBy, `${decision.key}.decidedBy`);
      expect('meeting', decision.meeting, `${decision.key}.meeting`);
      region(decision.region, decision.key);
      tagged(decision.topics, decision.key);
    }
    for (const a of seed.assignments) {
      expect('organisation', a.issuedBy, `${a.key}.issuedBy`);
      expect('organisation', a.assigneeOrganisation, `${a.key}.assigneeOrganisation`);
      expect('person', a.assigneePerson, `${a.key}.assigneePerson`);
      expect('decision', a.originDecision, `${a.key}.originDecision`);
      expect('meeting', a.meeting, `${a.key}.meeting`);
      expect('decision', a.relatedDecision, `${a.key}.relatedDecision`);
      region(a.region, a.key);
      tagged(a.topics, a.key);
    }
    for (const a of seed.audits) {
      expect('organisation', a.auditor, `${a.key}.auditor`);
      expect('organisation', a.audited, `${a.key}.audited`);
      region(a.region, a.key);
      tagged(a.topics, a.key);
      for (const r of a.recommendations) tagged(r.topics, r.key);
      for (const response of a.responses) {
        expect('organisation', response.respondent, `${response.key}.respondent`);
        expect('person', response.caseOfficer, `${response.key}.caseOfficer`);
        expect('person', response.signatory, `${response.key}.signatory`);
        for (const part of response.parts) expect('recommendation', part.recommendation, `${part.key}.recommendation`);
      }
    }
    for (const g of seed.grantProgrammes) {
      expect('organisation', g.grantor, `${g.key}.grantor`);
      tagged(g.topics, g.key);
    }
    for (const g of seed.grants) {
      expect('grant_programme', g.programme, `${g.key}.programme`);
      region(g.recipientRegion, `${g.key}.recipientRegion`);
      expect('organisation', g.recipientOrganisation, `${g.key}.recipientOrganisation`);
    }
    for (const a of seed.allocations) {
      expect('grant', a.grant, `${a.key}.grant`);
      expect('grant_programme', a.programme, `${a.key}.programme`);
      expect('organisation', a.fromOrganisation, `${a.key}.fromOrganisation`);
      expect('organisation', a.recipientOrganisation, `${a.key}.recipientOrganisation`);
      region(a.region, a.key);
    }
    for (const i of seed.indicators) {
      tagged(i.topics, i.key);
      for (const t of i.targets) region(t.region, t.key);
    }
    for (const o of seed.observations) {
      expect('indicator', o.indicator, `${o.key}.indicator`);
      region(o.region, o.key);
      expect('organisation', o.organisation, `${o.key}.organisation`);
    }
  }

  const indicatorCodes = new Map<string, string>();
  for (const { seed, fileName } of documents) {
    for (const indicator of seed.indicators) {
      const earlier = indicatorCodes.get(indicator.code);
      if (earlier) problems.push(`${fileName}: ${indicator.key}: code ${indicator.code} is already used by ${earlier}`);
      indicatorCodes.set(indicator.code, indicator.key);
    }
  }

  for (const document of documents) {
    for (const { key, citation } of citationsOf(document.seed)) {
      const cited = citation.document ? documentsByKey.get(citation.document) : document;
      if (!cited) {
        problems.push(`${document.fileName}: ${key}: cites unknown document ${citation.document}`);
        continue;
      }
      problems.push(...checkQuote(cited, key, citation).map((problem) => `${document.fileName}: ${problem}`));
    }
  }
  return problems;
}

/** A quote must appear in its document's text and on the lines it names, whitespace folded. */
export function checkQuote(document: Pick<SeedDocument, 'text' | 'lines' | 'key'>, key: string, citation: SeedCitation): string[] {
  const quote = foldWhitespace(citation.quote);
  if (!foldWhitespace(document.text).includes(quote)) {
    return [`${key}: the quote "${quote.slice(0, 80)}" does not appear in ${document.key}`];
  }
  const [start, end] = citation.lines;
  if (end > document.lines.length) return [`${key}: lines ${start}-${end} run past the end of ${document.key}`];
  if (!foldWhitespace(document.lines.slice(start - 1, end).join('\n')).includes(quote)) {
    return [`${key}: the quote "${quote.slice(0, 80)}" is in ${document.key} but not on lines ${start}-${end}`];
  }
  return [];
}
