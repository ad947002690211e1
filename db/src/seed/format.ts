import { z } from 'zod';
import { assignmentForecast, assignmentStatus } from '../schema/assignments.ts';
import { decisionKind } from '../schema/decisions.ts';
import { documentKind } from '../schema/documents.ts';
import { grantStatus } from '../schema/grants.ts';
import { indicatorDirection, targetComparator } from '../schema/indicators.ts';
import { meetingKind, participantRole } from '../schema/meetings.ts';
import { organisationKind, ownership } from '../schema/organisations.ts';
import { PERIOD } from '../schema/periods.ts';

/**
 * The format of the curated seed files in `db/seed/`: one file per source document, holding
 * every fact read from it. Records refer to each other by `key` (a stable string such as
 * "org:07:styrgrupp-nara-vard"); the loader derives each record's UUID from its key, so loading
 * twice updates in place instead of duplicating. Regions are referred to by SCB county code
 * ("07"), municipalities by their organisation key "municipality:<kommunkod>".
 */

const key = z.string().regex(/^[a-z][a-z0-9-]*(:[a-zA-Z0-9._-]+)+$/, 'a key looks like "kind:part[:part]"');
const isoDate = z.iso.date();
/** A date as far as the source gives it: a day ("2023-09-07"), a month ("2022-12") or a year ("2022"). */
const partialDate = z.union([
  z.iso.date(),
  z.string().regex(/^[0-9]{4}(-(0[1-9]|1[0-2]))?$/, 'a date is "YYYY-MM-DD", or "YYYY-MM" or "YYYY" when the source gives no more'),
]);
const time = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'a time is "HH:MM"');
const regionCode = z.string().regex(/^[0-9]{2}$/, 'a region is its two-digit SCB county code');
const period = z.string().regex(PERIOD, 'a period is "2018", "2018-Q3" or "2018-05"');
/** SEK and other exact decimals are strings, so no binary floating point touches them. */
const decimal = z.string().regex(/^-?[0-9]+(\.[0-9]+)?$/, 'a decimal is a string such as "148" or "51900000.00"');
const sek = z.string().regex(/^[0-9]+(\.[0-9]{1,2})?$/, 'SEK is a non-negative string with at most two decimals');
const text = z.string().trim().min(1);
const topicSlugs = z.array(z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/)).default([]);

/** The passage a fact rests on: a verbatim quote and the 1-based line range it stands on. */
export const citationSchema = z.strictObject({
  quote: text,
  lines: z.tuple([z.number().int().min(1), z.number().int().min(1)]).refine(([a, b]) => a <= b, 'lines run forward'),
  /** Another seed document's key, when the passage is not in this file's document. */
  document: key.optional(),
});
const cite = z.array(citationSchema).min(1, 'every fact needs at least one citation');

const organisation = z.strictObject({
  key,
  kind: z.enum(organisationKind.enumValues),
  name: text,
  aliases: z.array(text).default([]),
  region: regionCode.nullable().default(null),
  parent: key.nullable().default(null),
  ownership: z.enum(ownership.enumValues).nullable().default(null),
  organisationNumber: z.string().regex(/^[0-9]{6}-[0-9]{4}$/).nullable().default(null),
  description: text.nullable().default(null),
  cite,
});

const person = z.strictObject({ key, name: text, aliases: z.array(text).default([]), cite });

const membership = z.strictObject({
  key,
  person: key,
  organisation: key,
  title: text.nullable().default(null),
  startedOn: isoDate.nullable().default(null),
  endedOn: isoDate.nullable().default(null),
  cite,
});

const decisionFields = {
  key,
  kind: z.enum(decisionKind.enumValues),
  title: text.nullable().default(null),
  text,
  decidedOn: partialDate.nullable().default(null),
  decidedBy: key.nullable().default(null),
  region: regionCode.nullable().default(null),
  topics: topicSlugs,
  cite,
};
/** A decision taken at an agenda item: meeting, item and date come from where it stands. */
const itemDecision = z.strictObject(decisionFields);
/** A decision known only from a report, or tied to a meeting by key. */
const decision = z.strictObject({ ...decisionFields, meeting: key.nullable().default(null) });

const agendaItem = z.strictObject({
  key,
  ordinal: z.number().int().min(1),
  title: text,
  summary: text.nullable().default(null),
  topics: topicSlugs,
  decisions: z.array(itemDecision).default([]),
  cite,
});

const participant = z
  .strictObject({
    key,
    person: key.nullable().default(null),
    organisation: key.nullable().default(null),
    role: z.enum(participantRole.enumValues),
    title: text.nullable().default(null),
    cite,
  })
  .refine((p) => p.person !== null || p.organisation !== null, 'a participant is a person or an organisation');

const meeting = z.strictObject({
  key,
  title: text,
  kind: z.enum(meetingKind.enumValues),
  organisation: key.nullable().default(null),
  region: regionCode.nullable().default(null),
  heldOn: isoDate,
  startsAt: time.nullable().default(null),
  endsAt: time.nullable().default(null),
  place: text.nullable().default(null),
  topics: topicSlugs,
  participants: z.array(participant).default([]),
  agendaItems: z.array(agendaItem).default([]),
  cite,
});

const assignmentReport = z.strictObject({
  key,
  reportedOn: isoDate.nullable().default(null),
  source: text.nullable().default(null),
  status: z.enum(assignmentStatus.enumValues).nullable().default(null),
  forecast: z.enum(assignmentForecast.enumValues).nullable().default(null),
  text,
  cite,
});

const assignment = z.strictObject({
  key,
  reference: text.nullable().default(null),
  title: text,
  description: text.nullable().default(null),
  issuedBy: key.nullable().default(null),
  assigneeOrganisation: key.nullable().default(null),
  assigneePerson: key.nullable().default(null),
  originDecision: key.nullable().default(null),
  /** The meeting it was given at; when left out, the meeting of its origin decision. */
  meeting: key.nullable().default(null),
  /** A decision the records name as what the assignment follows or brought about. */
  relatedDecision: key.nullable().default(null),
  origin: text.nullable().default(null),
  region: regionCode.nullable().default(null),
  issuedOn: isoDate.nullable().default(null),
  dueOn: isoDate.nullable().default(null),
  status: z.enum(assignmentStatus.enumValues),
  topics: topicSlugs,
  reports: z.array(assignmentReport).default([]),
  cite,
});

const recommendation = z.strictObject({ key, ordinal: z.number().int().min(1), text, topics: topicSlugs, cite });

const recommendationResponse = z.strictObject({
  key,
  recommendation: key,
  actionsTaken: text.nullable().default(null),
  plannedActions: text.nullable().default(null),
  timeline: text.nullable().default(null),
  otherComments: text.nullable().default(null),
  cite,
});

const auditResponse = z.strictObject({
  key,
  respondent: key.nullable().default(null),
  respondedOn: isoDate.nullable().default(null),
  caseOfficer: key.nullable().default(null),
  signatory: key.nullable().default(null),
  summary: text.nullable().default(null),
  parts: z.array(recommendationResponse).default([]),
  cite,
});

const audit = z.strictObject({
  key,
  title: text,
  auditor: key.nullable().default(null),
  audited: key.nullable().default(null),
  region: regionCode.nullable().default(null),
  reportedOn: isoDate.nullable().default(null),
  summary: text.nullable().default(null),
  topics: topicSlugs,
  recommendations: z.array(recommendation).default([]),
  responses: z.array(auditResponse).default([]),
  cite,
});

const grantProgramme = z.strictObject({
  key,
  name: text,
  legalBasis: text.nullable().default(null),
  grantor: key.nullable().default(null),
  description: text.nullable().default(null),
  topics: topicSlugs,
  cite,
});

const grant = z
  .strictObject({
    key,
    programme: key,
    recipientRegion: regionCode.nullable().default(null),
    recipientOrganisation: key.nullable().default(null),
    period,
    amountSek: sek.nullable().default(null),
    amountIsApproximate: z.boolean().default(false),
    status: z.enum(grantStatus.enumValues),
    requisitionDueOn: isoDate.nullable().default(null),
    description: text.nullable().default(null),
    cite,
  })
  .refine((g) => g.recipientRegion !== null || g.recipientOrganisation !== null, 'a grant needs a recipient');

const allocation = z
  .strictObject({
    key,
    grant: key.nullable().default(null),
    programme: key.nullable().default(null),
    fromOrganisation: key.nullable().default(null),
    recipientOrganisation: key.nullable().default(null),
    recipientDescription: text.nullable().default(null),
    region: regionCode.nullable().default(null),
    period: period.nullable().default(null),
    amountSek: sek.nullable().default(null),
    rateSek: sek.nullable().default(null),
    rateMaxSek: sek.nullable().default(null),
    rateUnit: text.nullable().default(null),
    capSek: sek.nullable().default(null),
    capUnit: text.nullable().default(null),
    paidOn: isoDate.nullable().default(null),
    description: text.nullable().default(null),
    cite,
  })
  .refine((a) => a.amountSek !== null || a.rateSek !== null || a.capSek !== null, 'an allocation is an amount, a rate or a ceiling')
  .refine((a) => a.rateSek === null || a.rateUnit !== null, 'a rate needs its unit (rateUnit)')
  .refine((a) => a.capSek === null || a.capUnit !== null, 'a ceiling needs its unit (capUnit)')
  .refine((a) => a.grant !== null || a.programme !== null, 'an allocation comes from a grant or a programme');

const indicatorTarget = z.strictObject({
  key,
  comparator: z.enum(targetComparator.enumValues),
  value: decimal,
  region: regionCode.nullable().default(null),
  validFrom: isoDate.nullable().default(null),
  validTo: isoDate.nullable().default(null),
  basis: text.nullable().default(null),
  description: text.nullable().default(null),
  cite,
});

const indicator = z.strictObject({
  key,
  code: z.string().regex(/^[A-Z0-9][A-Z0-9_]*$/, 'an indicator code is UPPER_SNAKE_CASE'),
  name: text,
  description: text.nullable().default(null),
  unit: text,
  direction: z.enum(indicatorDirection.enumValues),
  sourceSystem: text.nullable().default(null),
  koladaKpiId: z.string().regex(/^[NU][0-9]{5}$/).nullable().default(null),
  topics: topicSlugs,
  targets: z.array(indicatorTarget).default([]),
  cite,
});

const observation = z
  .strictObject({
    key,
    indicator: key,
    region: regionCode.nullable().default(null),
    organisation: key.nullable().default(null),
    period,
    value: decimal,
    dimensions: z.record(z.string().regex(/^[a-z][a-z_]*$/), z.string().regex(/^[a-z][a-z0-9_]*$/)).default({}),
    cite,
  })
  .refine((o) => (o.region === null) !== (o.organisation === null), 'an observation has one subject: region or organisation');

const document = z.strictObject({
  key,
  /** The text file in `db/seed/documents/`. */
  file: z.string().regex(/^[\w.-]+\.txt$/),
  title: text,
  kind: z.enum(documentKind.enumValues),
  region: regionCode.nullable().default(null),
  issuedBy: key.nullable().default(null),
  issuedOn: isoDate.nullable().default(null),
  registryNumber: text.nullable().default(null),
  origin: text,
  topics: topicSlugs,
});

/**
 * A passage a drafting tool could not read with confidence: left for a person to read, never
 * loaded. Hand-read seed files have none; drafts of minutes (`naravard ingest draft`) may.
 */
export const reviewNoteSchema = z.strictObject({
  lines: z.tuple([z.number().int().min(1), z.number().int().min(1)]),
  text: z.string(),
  why: text,
});

/** One seed file: a source document and every fact read from it. */
export const seedFileSchema = z.strictObject({
  document,
  organisations: z.array(organisation).default([]),
  people: z.array(person).default([]),
  memberships: z.array(membership).default([]),
  meetings: z.array(meeting).default([]),
  decisions: z.array(decision).default([]),
  assignments: z.array(assignment).default([]),
  audits: z.array(audit).default([]),
  grantProgrammes: z.array(grantProgramme).default([]),
  grants: z.array(grant).default([]),
  allocations: z.array(allocation).default([]),
  indicators: z.array(indicator).default([]),
  observations: z.array(observation).default([]),
  review: z.array(reviewNoteSchema).default([]),
});

export const topicsFileSchema = z.array(
  z.strictObject({
    slug: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
    name: text,
    swedishName: text.nullable().default(null),
    description: text.nullable().default(null),
  }),
);

export type SeedFile = z.output<typeof seedFileSchema>;
export type ReviewNote = z.output<typeof reviewNoteSchema>;
export type SeedCitation = z.output<typeof citationSchema>;
export type TopicsFile = z.output<typeof topicsFileSchema>;
