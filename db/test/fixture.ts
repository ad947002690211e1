import { type Database, tables as t } from '../src/index.ts';

/**
 * One valid row in every table, linked into a whole graph, so a test can break exactly one
 * rule of one row and see the database refuse it.
 */
export async function insertFixture(db: Database) {
  const [region] = await db
    .insert(t.regions)
    .values({ code: '99', name: 'Region Test', countyName: 'Testlän', isoCode: 'SE-ZZ' })
    .returning();
  const regionId = region!.id;
  const [board] = await db
    .insert(t.organisations)
    .values({ kind: 'board', name: 'Testnämnden', regionId, organisationNumber: '232100-0000' })
    .returning();
  const [committee] = await db
    .insert(t.organisations)
    .values({ kind: 'committee', name: 'Testberedningen', regionId, parentId: board!.id })
    .returning();
  const [municipality] = await db
    .insert(t.organisations)
    .values({ kind: 'municipality', name: 'Testkommun', regionId, municipalityCode: '9999' })
    .returning();
  const [person] = await db.insert(t.people).values({ name: 'Test Testsson' }).returning();
  const [membership] = await db
    .insert(t.memberships)
    .values({ personId: person!.id, organisationId: board!.id, title: 'Ordförande', startedOn: '2023-01-01' })
    .returning();
  const [document] = await db
    .insert(t.documents)
    .values({
      title: 'Protokoll',
      kind: 'minutes',
      regionId,
      issuedById: board!.id,
      origin: 'test',
      textSha256: 'a'.repeat(64),
      text: 'Beslut: nämnden beslutar.',
    })
    .returning();
  const [meeting] = await db
    .insert(t.meetings)
    .values({ title: 'Sammanträde', kind: 'sitting', organisationId: board!.id, regionId, heldOn: '2023-03-28' })
    .returning();
  const [participant] = await db
    .insert(t.meetingParticipants)
    .values({ meetingId: meeting!.id, personId: person!.id, organisationId: board!.id, role: 'chair' })
    .returning();
  const [agendaItem] = await db
    .insert(t.agendaItems)
    .values({ meetingId: meeting!.id, ordinal: 1, title: 'Inledning' })
    .returning();
  const [decision] = await db
    .insert(t.decisions)
    .values({
      kind: 'decision',
      text: 'Nämnden beslutar.',
      decidedById: board!.id,
      meetingId: meeting!.id,
      agendaItemId: agendaItem!.id,
      regionId,
    })
    .returning();
  const [assignment] = await db
    .insert(t.assignments)
    .values({
      title: 'Uppdrag',
      issuedById: board!.id,
      assigneeOrganisationId: committee!.id,
      assigneePersonId: person!.id,
      originDecisionId: decision!.id,
      meetingId: meeting!.id,
      relatedDecisionId: decision!.id,
      regionId,
      issuedOn: '2023-03-28',
      dueOn: '2023-12-31',
    })
    .returning();
  const [report] = await db
    .insert(t.assignmentReports)
    .values({ assignmentId: assignment!.id, text: 'Pågår.', status: 'ongoing' })
    .returning();
  const [audit] = await db
    .insert(t.audits)
    .values({ title: 'Granskning', auditorId: board!.id, auditedId: board!.id, regionId })
    .returning();
  const [recommendation] = await db
    .insert(t.recommendations)
    .values({ auditId: audit!.id, ordinal: 1, text: 'Säkerställ.' })
    .returning();
  const [auditResponse] = await db
    .insert(t.auditResponses)
    .values({
      auditId: audit!.id,
      respondentId: board!.id,
      documentId: document!.id,
      caseOfficerId: person!.id,
      signatoryId: person!.id,
    })
    .returning();
  const [recommendationResponse] = await db
    .insert(t.recommendationResponses)
    .values({ auditResponseId: auditResponse!.id, recommendationId: recommendation!.id, actionsTaken: 'Klart.' })
    .returning();
  const [programme] = await db
    .insert(t.grantProgrammes)
    .values({ name: 'Statsbidrag', grantorId: board!.id })
    .returning();
  const [grant] = await db
    .insert(t.grants)
    .values({ programmeId: programme!.id, recipientRegionId: regionId, recipientOrganisationId: board!.id, period: '2025', amountSek: '100.50', status: 'awarded' })
    .returning();
  const [allocation] = await db
    .insert(t.allocations)
    .values({
      grantId: grant!.id,
      programmeId: programme!.id,
      fromOrganisationId: board!.id,
      recipientOrganisationId: committee!.id,
      regionId,
      period: '2025-Q1',
      rateSek: '4',
      rateMaxSek: '44',
      rateUnit: 'listed patient',
    })
    .returning();
  const [indicator] = await db
    .insert(t.indicators)
    .values({ code: 'TEST_INDICATOR', name: 'Test', unit: 'count' })
    .returning();
  const [target] = await db
    .insert(t.indicatorTargets)
    .values({ indicatorId: indicator!.id, comparator: 'at_most', value: '1100', regionId })
    .returning();
  const [observation] = await db
    .insert(t.observations)
    .values({ indicatorId: indicator!.id, regionId, period: '2018-05', value: '12', dimensions: { ownership: 'public' } })
    .returning();
  const [organisationObservation] = await db
    .insert(t.observations)
    .values({ indicatorId: indicator!.id, organisationId: board!.id, period: '2018-05', value: '3' })
    .returning();
  const [citation] = await db
    .insert(t.citations)
    .values({ documentId: document!.id, entityType: 'decision', entityId: decision!.id, quote: 'Beslut', lineStart: 1, lineEnd: 1 })
    .returning();
  const [topic] = await db.insert(t.topics).values({ slug: 'test-topic', name: 'Test' }).returning();
  const [topicLink] = await db
    .insert(t.topicLinks)
    .values({ topicId: topic!.id, entityType: 'decision', entityId: decision!.id })
    .returning();
  const [apiKey] = await db
    .insert(t.apiKeys)
    .values({ name: 'test', prefix: 'nv_test', secretHash: 'b'.repeat(64), scopes: ['write'] })
    .returning();
  const [change] = await db
    .insert(t.changeLog)
    .values({ actor: 'test', apiKeyId: apiKey!.id, operation: 'create', entityType: 'decision', entityId: decision!.id })
    .returning();
  const [importRun] = await db
    .insert(t.imports)
    .values({ source: 'csv', actor: 'test', apiKeyId: apiKey!.id, sourceUrl: 'file:///observations.csv', parameters: {} })
    .returning();
  await db.insert(t.observationStaging).values({
    importId: importRun!.id,
    position: 2,
    indicatorCode: indicator!.code,
    regionCode: region!.code,
    period: '2018-05',
    value: '12',
    dimensions: {},
  });
  return {
    importRun: importRun!,
    region: region!, board: board!, committee: committee!, municipality: municipality!, person: person!,
    membership: membership!, document: document!, meeting: meeting!, participant: participant!,
    agendaItem: agendaItem!, decision: decision!, assignment: assignment!, report: report!, audit: audit!,
    recommendation: recommendation!, auditResponse: auditResponse!, recommendationResponse: recommendationResponse!,
    programme: programme!, grant: grant!, allocation: allocation!, indicator: indicator!, target: target!,
    observation: observation!, organisationObservation: organisationObservation!, citation: citation!,
    topic: topic!, topicLink: topicLink!, apiKey: apiKey!, change: change!,
  };
}

export type Fixture = Awaited<ReturnType<typeof insertFixture>>;
