import { checkQuote, ENTITIES, type EntityName, idFor, type SeedCitation, type SeedFile, tables } from '@naravard/db';
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { NotFoundError, ValidationError } from './errors.ts';
import type { Writer } from './writes.ts';

export interface ApplySummary {
  created: number;
  updated: number;
  unchanged: number;
}

const idOrNull = (key: string | null) => (key === null ? null : idFor(key));

/**
 * Loads a reviewed draft through the `Writer`, inside the caller's transaction: every record by
 * the ID its key gives, so applying twice changes nothing; created and changed records are logged;
 * every quote is checked against the document's text and lines, as for every write.
 */
export async function applyDraft(writer: Writer, seed: SeedFile, text: string): Promise<ApplySummary> {
  const summary: ApplySummary = { created: 0, updated: 0, unchanged: 0 };
  const document = { key: seed.document.key, text, lines: text.split('\n') };
  const problems: { path: (string | number)[]; message: string }[] = [];
  const checkCitations = (path: (string | number)[], key: string, cite: SeedCitation[]) =>
    cite.forEach((citation, index) => {
      if (citation.document) problems.push({ path: [...path, 'cite', index, 'document'], message: 'a draft cites only its own document' });
      else for (const message of checkQuote(document, key, citation)) problems.push({ path: [...path, 'cite', index], message });
    });
  seed.organisations.forEach((o, i) => checkCitations(['organisations', i], o.key, o.cite));
  seed.people.forEach((p, i) => checkCitations(['people', i], p.key, p.cite));
  seed.memberships.forEach((m, i) => checkCitations(['memberships', i], m.key, m.cite));
  seed.audits.forEach((a, i) => {
    checkCitations(['audits', i], a.key, a.cite);
    a.recommendations.forEach((r, j) => checkCitations(['audits', i, 'recommendations', j], r.key, r.cite));
    a.responses.forEach((response, j) => {
      checkCitations(['audits', i, 'responses', j], response.key, response.cite);
      response.parts.forEach((part, k) => checkCitations(['audits', i, 'responses', j, 'parts', k], part.key, part.cite));
    });
  });
  seed.meetings.forEach((m, i) => {
    checkCitations(['meetings', i], m.key, m.cite);
    m.participants.forEach((p, j) => checkCitations(['meetings', i, 'participants', j], p.key, p.cite));
    m.agendaItems.forEach((item, j) => {
      checkCitations(['meetings', i, 'agendaItems', j], item.key, item.cite);
      item.decisions.forEach((d, k) => checkCitations(['meetings', i, 'agendaItems', j, 'decisions', k], d.key, d.cite));
    });
  });
  seed.decisions.forEach((d, i) => checkCitations(['decisions', i], d.key, d.cite));
  seed.assignments.forEach((a, i) => checkCitations(['assignments', i], a.key, a.cite));
  seed.grantProgrammes.forEach((g, i) => checkCitations(['grantProgrammes', i], g.key, g.cite));
  seed.grants.forEach((g, i) => checkCitations(['grants', i], g.key, g.cite));
  seed.allocations.forEach((a, i) => checkCitations(['allocations', i], a.key, a.cite));
  seed.indicators.forEach((indicator, i) => checkCitations(['indicators', i], indicator.key, indicator.cite));
  seed.observations.forEach((o, i) => checkCitations(['observations', i], o.key, o.cite));
  if (problems.length > 0) throw new ValidationError(problems);

  const documentId = idFor(seed.document.key);
  const region = async (code: string | null, path: (string | number)[]) => (await writer.regionId(code, path)) ?? null;

  // Citations are attached once every record (the document first of all) exists.
  const pendingCitations: (() => Promise<void>)[] = [];

  /** Creates the record, or updates it when the draft says otherwise; citations not yet attached are added. */
  const upsert = async (entity: EntityName, key: string, values: Record<string, unknown>, cite: SeedCitation[], path: (string | number)[]) => {
    const id = idFor(key);
    const table = ENTITIES[entity].table;
    const [existing] = (await writer.tx.select().from(table as PgTable).where(eq(table.id, id)).for('update')) as Record<string, unknown>[];
    // People and bodies that exist are only referred to by a draft: it adds the spellings it met, never overwrites them.
    const referenceOnly = existing && existing.deletedAt === null && (entity === 'Person' || entity === 'Organisation');
    if (referenceOnly) {
      const aliases = [...new Set([...(existing.aliases as string[]), ...(values.aliases as string[])])].filter((alias) => alias !== existing.name);
      if (aliases.length !== (existing.aliases as string[]).length) {
        await writer.update(entity, id, existing.version as number, { aliases });
        summary.updated++;
      } else {
        summary.unchanged++;
      }
    } else if (!existing) {
      await writer.create(entity, { id, ...values });
      summary.created++;
    } else if (existing.deletedAt !== null) {
      throw new ValidationError([{ path: [...path, 'key'], message: `${key} names a deleted record: restore it first, or give the draft another key` }]);
    } else if (differs(existing, values)) {
      await writer.update(entity, id, existing.version as number, values);
      summary.updated++;
    } else {
      summary.unchanged++;
    }
    pendingCitations.push(async () => {
      const attached = await writer.tx.select().from(tables.citations).where(eq(tables.citations.entityId, id));
      const missing = cite.filter((c) => !attached.some((a) => a.documentId === documentId && a.quote === c.quote && a.lineStart === c.lines[0] && a.lineEnd === c.lines[1]));
      if (missing.length > 0) {
        await writer.cite(entity, id, missing.map((c) => ({ document: documentId, quote: c.quote, lineStart: c.lines[0], lineEnd: c.lines[1] })), [...path, 'cite']);
      }
    });
  };

  for (const [i, o] of seed.organisations.entries()) {
    await upsert('Organisation', o.key, {
      kind: o.kind, name: o.name, aliases: o.aliases, regionId: await region(o.region, ['organisations', i, 'region']), parentId: idOrNull(o.parent),
      ownership: o.ownership, organisationNumber: o.organisationNumber, description: o.description,
    }, o.cite, ['organisations', i]);
  }
  for (const [i, p] of seed.people.entries()) await upsert('Person', p.key, { name: p.name, aliases: p.aliases }, p.cite, ['people', i]);

  const d = seed.document;
  await upsertDocument(writer, summary, documentId, {
    title: d.title, kind: d.kind, regionId: await region(d.region, ['document', 'region']), issuedById: idOrNull(d.issuedBy), issuedOn: d.issuedOn,
    registryNumber: d.registryNumber, origin: d.origin, textSha256: createHash('sha256').update(text).digest('hex'), text,
  });

  /** A key the record refers to must name a live record, from the draft or already stored. */
  const requireKeys = async (references: { entity: EntityName; key: string | null; path: (string | number)[] }[]) => {
    for (const { entity, key, path } of references) {
      try {
        await writer.requireLive([{ entity, id: idOrNull(key), path }]);
      } catch (error) {
        if (error instanceof NotFoundError) throw new ValidationError([{ path, message: `${key} names no ${entity} in the draft or the database` }]);
        throw error;
      }
    }
  };

  for (const [i, m] of seed.memberships.entries()) {
    await requireKeys([
      { entity: 'Person', key: m.person, path: ['memberships', i, 'person'] },
      { entity: 'Organisation', key: m.organisation, path: ['memberships', i, 'organisation'] },
    ]);
    await upsert('Membership', m.key, {
      personId: idFor(m.person), organisationId: idFor(m.organisation), title: m.title, startedOn: m.startedOn, endedOn: m.endedOn,
    }, m.cite, ['memberships', i]);
  }
  for (const [i, a] of seed.audits.entries()) {
    const at = ['audits', i];
    await requireKeys([
      { entity: 'Organisation', key: a.auditor, path: [...at, 'auditor'] },
      { entity: 'Organisation', key: a.audited, path: [...at, 'audited'] },
      ...a.responses.flatMap((r, j) => [
        { entity: 'Organisation' as const, key: r.respondent, path: [...at, 'responses', j, 'respondent'] },
        { entity: 'Person' as const, key: r.caseOfficer, path: [...at, 'responses', j, 'caseOfficer'] },
        { entity: 'Person' as const, key: r.signatory, path: [...at, 'responses', j, 'signatory'] },
      ]),
    ]);
    await upsert('Audit', a.key, {
      title: a.title, auditorId: idOrNull(a.auditor), auditedId: idOrNull(a.audited), regionId: await region(a.region, [...at, 'region']), reportedOn: a.reportedOn, summary: a.summary,
    }, a.cite, at);
    for (const [j, r] of a.recommendations.entries()) {
      await upsert('Recommendation', r.key, { auditId: idFor(a.key), ordinal: r.ordinal, text: r.text }, r.cite, [...at, 'recommendations', j]);
    }
    for (const [j, response] of a.responses.entries()) {
      // A response stands in the draft's document: that is where its citations point.
      await upsert('AuditResponse', response.key, {
        auditId: idFor(a.key), respondentId: idOrNull(response.respondent), respondedOn: response.respondedOn, documentId,
        caseOfficerId: idOrNull(response.caseOfficer), signatoryId: idOrNull(response.signatory), summary: response.summary,
      }, response.cite, [...at, 'responses', j]);
      for (const [k, part] of response.parts.entries()) {
        await requireKeys([{ entity: 'Recommendation', key: part.recommendation, path: [...at, 'responses', j, 'parts', k, 'recommendation'] }]);
        await upsert('RecommendationResponse', part.key, {
          auditResponseId: idFor(response.key), recommendationId: idFor(part.recommendation), actionsTaken: part.actionsTaken,
          plannedActions: part.plannedActions, timeline: part.timeline, otherComments: part.otherComments,
        }, part.cite, [...at, 'responses', j, 'parts', k]);
      }
    }
  }
  for (const [i, m] of seed.meetings.entries()) {
    const at = ['meetings', i];
    const regionId = await region(m.region, [...at, 'region']);
    await upsert('Meeting', m.key, {
      title: m.title, kind: m.kind, organisationId: idOrNull(m.organisation), regionId, heldOn: m.heldOn, startsAt: m.startsAt, endsAt: m.endsAt, place: m.place,
    }, m.cite, at);
    for (const [j, p] of m.participants.entries()) {
      await upsert('Participant', p.key, { meetingId: idFor(m.key), personId: idOrNull(p.person), organisationId: idOrNull(p.organisation), role: p.role, title: p.title }, p.cite, [...at, 'participants', j]);
    }
    for (const [j, item] of m.agendaItems.entries()) {
      await upsert('AgendaItem', item.key, { meetingId: idFor(m.key), ordinal: item.ordinal, title: item.title, summary: item.summary }, item.cite, [...at, 'agendaItems', j]);
      for (const [k, decision] of item.decisions.entries()) {
        await upsert('Decision', decision.key, {
          kind: decision.kind, title: decision.title, text: decision.text, decidedOn: decision.decidedOn ?? m.heldOn,
          decidedById: idOrNull(decision.decidedBy ?? m.organisation), meetingId: idFor(m.key), agendaItemId: idFor(item.key),
          regionId: (await region(decision.region, [...at, 'agendaItems', j, 'decisions', k, 'region'])) ?? regionId,
        }, decision.cite, [...at, 'agendaItems', j, 'decisions', k]);
      }
    }
  }
  for (const [i, decision] of seed.decisions.entries()) {
    await upsert('Decision', decision.key, {
      kind: decision.kind, title: decision.title, text: decision.text, decidedOn: decision.decidedOn, decidedById: idOrNull(decision.decidedBy),
      meetingId: idOrNull(decision.meeting), agendaItemId: null, regionId: await region(decision.region, ['decisions', i, 'region']),
    }, decision.cite, ['decisions', i]);
  }
  for (const [i, a] of seed.assignments.entries()) {
    await upsert('Assignment', a.key, {
      reference: a.reference, title: a.title, description: a.description, issuedById: idOrNull(a.issuedBy), assigneeOrganisationId: idOrNull(a.assigneeOrganisation),
      assigneePersonId: idOrNull(a.assigneePerson), originDecisionId: idOrNull(a.originDecision), origin: a.origin,
      regionId: await region(a.region, ['assignments', i, 'region']), issuedOn: a.issuedOn, dueOn: a.dueOn, status: a.status,
    }, a.cite, ['assignments', i]);
    for (const [j, r] of a.reports.entries()) {
      await upsert('AssignmentReport', r.key, { assignmentId: idFor(a.key), reportedOn: r.reportedOn, source: r.source, status: r.status, forecast: r.forecast, text: r.text }, r.cite, ['assignments', i, 'reports', j]);
    }
  }
  for (const [i, g] of seed.grantProgrammes.entries()) {
    await upsert('GrantProgramme', g.key, { name: g.name, legalBasis: g.legalBasis, grantorId: idOrNull(g.grantor), description: g.description }, g.cite, ['grantProgrammes', i]);
  }
  for (const [i, g] of seed.grants.entries()) {
    await upsert('Grant', g.key, {
      programmeId: idFor(g.programme), recipientRegionId: await region(g.recipientRegion, ['grants', i, 'recipientRegion']), recipientOrganisationId: idOrNull(g.recipientOrganisation),
      period: g.period, amountSek: g.amountSek, amountIsApproximate: g.amountIsApproximate, status: g.status, requisitionDueOn: g.requisitionDueOn, description: g.description,
    }, g.cite, ['grants', i]);
  }
  for (const [i, a] of seed.allocations.entries()) {
    await upsert('Allocation', a.key, {
      grantId: idOrNull(a.grant), programmeId: idOrNull(a.programme), fromOrganisationId: idOrNull(a.fromOrganisation), recipientOrganisationId: idOrNull(a.recipientOrganisation),
      recipientDescription: a.recipientDescription, regionId: await region(a.region, ['allocations', i, 'region']), period: a.period, amountSek: a.amountSek,
      rateSek: a.rateSek, rateMaxSek: a.rateMaxSek, rateUnit: a.rateUnit, capSek: a.capSek, capUnit: a.capUnit, paidOn: a.paidOn, description: a.description,
    }, a.cite, ['allocations', i]);
  }
  for (const [i, indicator] of seed.indicators.entries()) {
    if (indicator.targets.length > 0) throw new ValidationError([{ path: ['indicators', i, 'targets'], message: 'a draft cannot load indicator targets yet: move them to a seed file' }]);
    await upsert('Indicator', indicator.key, {
      code: indicator.code, name: indicator.name, description: indicator.description, unit: indicator.unit, direction: indicator.direction,
      sourceSystem: indicator.sourceSystem, koladaKpiId: indicator.koladaKpiId,
    }, indicator.cite, ['indicators', i]);
  }
  for (const [i, o] of seed.observations.entries()) {
    await upsert('Observation', o.key, {
      indicatorId: idFor(o.indicator), regionId: await region(o.region, ['observations', i, 'region']), organisationId: idOrNull(o.organisation),
      period: o.period, value: o.value, dimensions: o.dimensions,
    }, o.cite, ['observations', i]);
  }
  for (const attach of pendingCitations) await attach();
  return summary;
}

/** The document comes first among the cited records' needs: citations point into its text. */
async function upsertDocument(writer: Writer, summary: ApplySummary, id: string, values: Record<string, unknown>) {
  const [existing] = (await writer.tx.select().from(tables.documents).where(eq(tables.documents.id, id)).for('update')) as Record<string, unknown>[];
  if (!existing) {
    const [sameText] = await writer.tx
      .select({ id: tables.documents.id, title: tables.documents.title })
      .from(tables.documents)
      .where(eq(tables.documents.textSha256, values.textSha256 as string));
    if (sameText) {
      throw new ValidationError([{ path: ['document'], message: `this text is already the document "${sameText.title}" (${sameText.id}): applying it under another key would hold it twice` }]);
    }
    await writer.create('Document', { id, ...values });
    summary.created++;
  } else if (existing.deletedAt !== null) {
    throw new ValidationError([{ path: ['document', 'key'], message: 'the draft\'s document is deleted: restore it first' }]);
  } else if (existing.textSha256 !== values.textSha256) {
    throw new ValidationError([{ path: ['document'], message: 'a document with this key already holds another text: citations would no longer point where they say' }]);
  } else if (differs(existing, values)) {
    await writer.update('Document', id, existing.version as number, values);
    summary.updated++;
  } else {
    summary.unchanged++;
  }
}

/** True when a value of the draft differs from the stored row (dates, times and decimals compared as text). */
function differs(row: Record<string, unknown>, values: Record<string, unknown>): boolean {
  const text = (value: unknown): string => {
    if (value === null || value === undefined) return '';
    if (value instanceof Date) return value.toISOString().slice(0, 10);
    if (Array.isArray(value)) return JSON.stringify(value);
    if (typeof value === 'object') return JSON.stringify(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)));
    const string = String(value);
    if (/^[0-9]{2}:[0-9]{2}(:00)?$/.test(string)) return string.slice(0, 5);
    if (/^-?[0-9]+\.[0-9]*$/.test(string)) return string.replace(/\.?0+$/, '');
    return string;
  };
  return Object.entries(values).some(([field, value]) => text(row[field]) !== text(value));
}
