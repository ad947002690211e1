import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  buildSchema,
  type DefinitionNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLInputType,
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  Kind,
  type OperationDefinitionNode,
  parse,
  typeFromAST,
  validate,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { schema as apiSchema } from '../../api/src/index.ts';
import { LIMITS } from '../../api/src/limits.ts';
import { callers } from '../../api/test/support/auth.ts';
import { startTestServer, type TestServer } from '../../api/test/support/server.ts';
import {
  type Client,
  type CreateMeetingMutation,
  createClient,
  type ObservationFilter,
  type ObservationOrder,
  type UpsertObservationsMutation,
} from '../src/index.ts';

const OPERATIONS = new URL('../operations/', import.meta.url);
const printedSchema = buildSchema(readFileSync(new URL('../../api/schema.graphql', import.meta.url), 'utf8'));

const definitions: DefinitionNode[] = readdirSync(OPERATIONS)
  .filter((file) => file.endsWith('.graphql'))
  .flatMap((file) => parse(readFileSync(new URL(file, OPERATIONS), 'utf8')).definitions);
const operations = definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
const fragments = definitions.filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION);

/** The root fields an operation selects. */
const rootFields = (operation: OperationDefinitionNode) =>
  operation.selectionSet.selections.flatMap((selection) => (selection.kind === Kind.FIELD ? [selection.name.value] : []));

describe('sdk/operations', () => {
  it.each([
    ['query', printedSchema.getQueryType()],
    ['mutation', printedSchema.getMutationType()],
  ] as const)('has an operation named like each %s root field of api/schema.graphql, selecting it', (kind, root) => {
    const fields = Object.keys(root?.getFields() ?? {}).sort();
    expect(fields.length).toBeGreaterThan(0);
    const byName = new Map(operations.filter((operation) => operation.operation === kind).map((operation) => [operation.name?.value, operation]));
    const missing = fields.filter((field) => !byName.has(field));
    expect(missing, `add ${kind} operations to sdk/operations/<domain>.graphql for: ${missing.join(', ')}`).toEqual([]);
    for (const field of fields) expect(rootFields(byName.get(field)!)).toEqual([field]);
  });

  it('names every operation, once, after the root field it selects', () => {
    const names = operations.map((operation) => operation.name?.value);
    expect(names.every(Boolean)).toBe(true);
    expect(new Set(names).size).toBe(names.length);
    for (const operation of operations) expect(rootFields(operation)).toEqual([operation.name!.value]);
  });

  it('are valid against api/schema.graphql', () => {
    const errors = validate(printedSchema, { kind: Kind.DOCUMENT, definitions } satisfies DocumentNode);
    expect(errors.map((error) => error.message)).toEqual([]);
  });

  it('lets mutations discriminate on __typename and select every write error of the schema, through one shared fragment', () => {
    const writeErrors = printedSchema.getPossibleTypes(printedSchema.getType('WriteError') as never).map((type) => type.name);
    expect(writeErrors.sort()).toEqual(['ConflictError', 'ForbiddenError', 'NotFoundError', 'ValidationError']);
    const shared = fragments.find((fragment) => fragment.name.value === 'WriteErrorFields');
    expect(shared?.typeCondition.name.value).toBe('WriteError');
    const inShared = shared!.selectionSet.selections.flatMap((selection) => (selection.kind === Kind.INLINE_FRAGMENT ? [selection.typeCondition!.name.value] : []));
    expect(inShared.sort()).toEqual(writeErrors);
    for (const operation of operations.filter((candidate) => candidate.operation === 'mutation')) {
      const [root] = operation.selectionSet.selections;
      const selected = root?.kind === Kind.FIELD ? (root.selectionSet?.selections ?? []) : [];
      const names = selected.map((selection) =>
        selection.kind === Kind.FIELD ? selection.name.value : selection.kind === Kind.FRAGMENT_SPREAD ? `...${selection.name.value}` : '… on',
      );
      expect(names, `${operation.name?.value} selects __typename and ...WriteErrorFields`).toEqual(expect.arrayContaining(['__typename', '...WriteErrorFields']));
    }
  });

  it('stay within the API limits (depth, breadth, complexity) at the largest page size', async () => {
    // The complexity plugin is the API's dependency; load it from there.
    const require = createRequire(new URL('../../api/package.json', import.meta.url));
    const { complexityFromQuery } = (await import(require.resolve('@pothos/plugin-complexity'))) as {
      complexityFromQuery(query: DocumentNode, options: { schema: GraphQLSchema; variables: Record<string, unknown> }): Measures;
    };
    const over: string[] = [];
    for (const operation of operations) {
      const variables: Record<string, unknown> = { withSeries: true };
      for (const definition of operation.variableDefinitions ?? []) {
        const type = typeFromAST(apiSchema, definition.type as never) as GraphQLInputType;
        if (isNonNullType(type)) variables[definition.variable.name.value] = sample(type);
      }
      if (operation.variableDefinitions?.some((definition) => definition.variable.name.value === 'first')) variables.first = 100;
      const result = complexityFromQuery({ kind: Kind.DOCUMENT, definitions: [operation, ...fragments] }, { schema: apiSchema, variables });
      if (result.depth > LIMITS.depth || result.breadth > LIMITS.breadth || result.complexity > LIMITS.complexity) {
        over.push(`${operation.name?.value}: depth ${result.depth}, breadth ${result.breadth}, complexity ${result.complexity}`);
      }
    }
    expect(over).toEqual([]);
  });
});

interface Measures {
  depth: number;
  breadth: number;
  complexity: number;
}

/** A valid value of an input type: its required parts only. */
function sample(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sample(type.ofType);
  if (isListType(type)) return [sample(type.ofType)];
  if (isEnumType(type)) return type.getValues()[0]!.name;
  if (isInputObjectType(type)) {
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter((field) => isNonNullType(field.type))
        .map((field) => [field.name, sample(field.type)]),
    );
  }
  const scalars: Record<string, unknown> = {
    String: 'x',
    ID: Buffer.from('Region:00000000-0000-4000-8000-000000000000').toString('base64'),
    Int: 1,
    Float: 1,
    Boolean: true,
    Date: '2020-01-01',
    DateTime: '2020-01-01T00:00:00Z',
    Period: '2020',
    Decimal: '1',
  };
  return scalars[type.name];
}

describe('the typed methods against a live server', () => {
  let server: TestServer;
  let anonymous: Client;
  let writer: Client;
  let admin: Client;

  beforeAll(async () => {
    server = await startTestServer({ seed: true });
    const as = await callers(server);
    const key = (headers: { authorization: string }) => headers.authorization.replace(/^Bearer /, '');
    const url = `${server.url}/graphql`;
    anonymous = createClient({ url });
    writer = createClient({ url, apiKey: key(as.write) });
    admin = createClient({ url, apiKey: key(as.admin) });
  });
  afterAll(() => server?.close());

  it('runs every query operation, at the largest page size', async () => {
    const page = { first: 100 };
    const { meetings } = await anonymous.meetings(page);
    const meetingId = meetings.edges[0]!.node.id;
    const { documents } = await anonymous.documents(page);
    const documentId = documents.edges[0]!.node.id;
    const answers = {
      regions: await anonymous.regions(page),
      region: await anonymous.region({ code: '13' }),
      organisations: await anonymous.organisations(page),
      people: await anonymous.people(page),
      meetings,
      decisions: await anonymous.decisions(page),
      assignments: await anonymous.assignments(page),
      audits: await anonymous.audits(page),
      grants: await anonymous.grants(page),
      grantProgrammes: await anonymous.grantProgrammes(page),
      allocations: await anonymous.allocations(page),
      grantAggregates: await anonymous.grantAggregates({ groupBy: ['REGION', 'PROGRAMME', 'YEAR'] }),
      indicators: await anonymous.indicators(page),
      indicator: await anonymous.indicator({ code: 'SIP_MEETINGS', withSeries: true, region: '13', dimensions: [{ name: 'setting', value: 'home_care' }] }),
      observations: await anonymous.observations(page),
      observationAggregates: await anonymous.observationAggregates({ indicator: 'SIP_MEETINGS', groupBy: ['MONTH'] }),
      documents,
      topics: await anonymous.topics(page),
      search: await anonymous.search({ query: 'kontaktingång', ...page }),
      changes: await anonymous.changes(page),
      node: await anonymous.node({ id: documentId }),
      nodes: await anonymous.nodes({ ids: [meetingId, documentId] }),
      apiKeys: await admin.apiKeys(),
      imports: await anonymous.imports(page),
    };
    const queryFields = Object.keys(printedSchema.getQueryType()!.getFields());
    expect(queryFields.filter((field) => !(field in answers)), 'a new query field: call it here').toEqual([]);

    expect(answers.regions.regions.totalCount).toBe(21);
    expect(answers.indicator.indicator?.series?.map((point) => point.value)).toEqual(['101', '100', '81', '86']);
    expect(answers.observationAggregates.observationAggregates.length).toBeGreaterThan(0);
    expect(answers.allocations.allocations.totalCount).toBe(4);
    expect(answers.grantAggregates.grantAggregates.map((group) => group.sumSek)).toEqual(['17000000.00', '46000000.00', '51900000.00']);
    expect(answers.search.search.edges.length).toBeGreaterThan(0);
    const node = answers.node.node;
    expect(node?.__typename).toBe('Document');
    if (node?.__typename === 'Document') expect(node.text.length).toBeGreaterThan(100);
    expect(answers.nodes.nodes.map((record) => record?.__typename)).toEqual(['Meeting', 'Document']);
    expect(answers.apiKeys.apiKeys.length).toBeGreaterThan(0);
    expect(answers.imports.imports.totalCount).toBe(0); // the seeded database has had no import
  });

  it('answers a write with the record, typed as the success member of the union', async () => {
    const { createMeeting: created } = await writer.createMeeting({
      input: { title: 'SDK: typed write', kind: 'STEERING_GROUP', region: '07', heldOn: '2024-05-02', agendaItems: [{ ordinal: 1, title: 'Punkt ett' }] },
    });
    expect(created.__typename).toBe('Meeting');
    if (created.__typename !== 'Meeting') return;
    expect(created).toMatchObject({ version: 1, title: 'SDK: typed write', region: { code: '07' }, deletedAt: null });
    expect(created.agendaItems.map((item) => item.title)).toEqual(['Punkt ett']);

    const { updateMeeting: updated } = await writer.updateMeeting({ id: created.id, version: 1, patch: { place: 'Växjö' } });
    expect(updated).toMatchObject({ __typename: 'Meeting', version: 2, place: 'Växjö' });

    // The old version again: a ConflictError with both versions.
    const { updateMeeting: stale } = await writer.updateMeeting({ id: created.id, version: 1, patch: { place: 'Ljungby' } });
    expect(stale).toMatchObject({ __typename: 'ConflictError', expectedVersion: 1, currentVersion: 2 });

    const { deleteMeeting: deleted } = await writer.deleteMeeting({ id: created.id, version: 2 });
    expect(deleted.__typename).toBe('Meeting');
    if (deleted.__typename === 'Meeting') expect(deleted.deletedAt).not.toBeNull();

    // Restoring needs the admin scope.
    const { restoreMeeting: refused } = await writer.restoreMeeting({ id: created.id });
    expect(refused).toMatchObject({ __typename: 'ForbiddenError', requiredScope: 'admin' });
    const { restoreMeeting: restored } = await admin.restoreMeeting({ id: created.id });
    expect(restored).toMatchObject({ __typename: 'Meeting', deletedAt: null });
  });

  it('answers a refused write with a ValidationError naming each field by its path', async () => {
    const { createMeeting: result } = await writer.createMeeting({
      input: {
        title: ' ',
        kind: 'STEERING_GROUP',
        region: '07',
        heldOn: '2024-05-02',
        agendaItems: [{ ordinal: 1, title: 'Punkt', decisions: [{ kind: 'DECISION', text: '' }] }],
      },
    });
    expect(result.__typename).toBe('ValidationError');
    if (result.__typename !== 'ValidationError') return;
    expect(result.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: ['input', 'title'] }),
        expect.objectContaining({ path: ['input', 'agendaItems', '0', 'decisions', '0', 'text'] }),
      ]),
    );
  });

  it('answers with ForbiddenError without a key, and NotFoundError for a missing record', async () => {
    const { recordDecision: forbidden } = await anonymous.recordDecision({ input: { kind: 'DECISION', text: 'Utan nyckel', region: '07' } });
    expect(forbidden).toMatchObject({ __typename: 'ForbiddenError', requiredScope: 'write' });

    const { upsertObservations: missing } = await writer.upsertObservations({ indicator: 'NO_SUCH_INDICATOR', rows: [{ region: '13', period: '2020', value: '1' }] });
    expect(missing).toMatchObject({ __typename: 'NotFoundError', type: 'Indicator', path: ['indicator'] });

    const { upsertObservations: invalid } = await writer.upsertObservations({ indicator: 'SIP_MEETINGS', rows: [{ region: '13', period: '2020-13', value: '1' }] });
    expect(invalid.__typename).toBe('ValidationError');
    if (invalid.__typename === 'ValidationError') expect(invalid.issues[0]?.path).toEqual(['rows', '0', 'period']);

    const { upsertObservations: stored } = await writer.upsertObservations({
      indicator: 'SIP_MEETINGS',
      rows: [{ region: '13', period: '2019-01', value: '7', dimensions: [{ name: 'setting', value: 'joint_planning' }] }],
    });
    expect(stored).toMatchObject({ __typename: 'UpsertObservationsResult', inserted: 1, updated: 0, unchanged: 0, indicator: { code: 'SIP_MEETINGS' } });
  });

  it('tags a record and cites a passage through the generic writes, with their own success types', async () => {
    const { decisions } = await anonymous.decisions({ first: 1, filter: { topic: 'central-contact-entry' } });
    const decision = decisions.edges[0]!.node;

    const { tagRecord: tagged } = await writer.tagRecord({ record: decision.id, topic: 'mental-health' });
    expect(tagged.__typename).toBe('TopicTag');
    if (tagged.__typename !== 'TopicTag') return;
    expect(tagged.topic.slug).toBe('mental-health');
    expect(tagged.record).toMatchObject({ __typename: 'Decision', id: decision.id });
    expect(tagged.record.topics.map((topic) => topic.slug)).toContain('mental-health');

    const { untagRecord: untagged } = await writer.untagRecord({ record: decision.id, topic: 'mental-health' });
    expect(untagged.__typename).toBe('TopicTag');
    const { untagRecord: notThere } = await writer.untagRecord({ record: decision.id, topic: 'mental-health' });
    expect(notThere.__typename).toBe('NotFoundError');

    const citation = decision.citations[0]!;
    const { citeRecord: again } = await writer.citeRecord({
      record: decision.id,
      citation: { document: citation.document.id, quote: citation.quote, lineStart: citation.lines!.start, lineEnd: citation.lines!.end },
    });
    expect(again.__typename).toBe('ValidationError'); // citing the same passage twice is refused
  });

  it('types the results of writes as discriminated unions', () => {
    type Members = CreateMeetingMutation['createMeeting']['__typename'];
    expectTypeOf<Members>().toEqualTypeOf<'Meeting' | 'ValidationError' | 'NotFoundError' | 'ConflictError' | 'ForbiddenError'>();
    type Outcome = UpsertObservationsMutation['upsertObservations'];
    expectTypeOf<Extract<Outcome, { __typename: 'ValidationError' }>['issues'][number]['path']>().toEqualTypeOf<string[]>();
    expectTypeOf<Extract<Outcome, { __typename: 'UpsertObservationsResult' }>['inserted']>().toEqualTypeOf<number>();
    for (const list of ['regions', 'organisations', 'people', 'meetings', 'decisions', 'assignments', 'audits', 'grants', 'grantProgrammes', 'indicators', 'observations', 'documents', 'topics', 'search', 'changes'] as const) {
      expectTypeOf<Client['paginate'][typeof list]>().toBeFunction();
    }
    expectTypeOf<Parameters<Client['paginate']['observations']>[0]>().toEqualTypeOf<
      { first?: number | null; filter?: ObservationFilter | null; orderBy?: ObservationOrder | null } | undefined
    >();
  });
});
