import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Callers } from './support/auth.ts';
import { gid } from './support/ids.ts';
import type { TestServer } from './support/server.ts';
import { RESULT, startWriteTest, type WriteTest } from './support/writes.ts';

/* Regions are reference data: only their names can be corrected, by an admin. */

let server: TestServer;
let as: Callers;
let refused: WriteTest['refused'];

const KRONOBERG = gid('Region', 'region:07');
const SIP = gid('Topic', 'topic:sip');

beforeAll(async () => {
  ({ server, as, refused } = await startWriteTest());
});
afterAll(() => server?.close());

describe('updateRegion', () => {
  const UPDATE_REGION = `mutation ($id: ID!, $version: Int!, $patch: RegionPatch!) { updateRegion(id: $id, version: $version, patch: $patch) {
    ${RESULT} ... on Region { version code name countyName } } }`;

  it('lets an admin correct a region’s names, with version checks, logged', async () => {
    const updated = await server.graphql(UPDATE_REGION, { id: KRONOBERG, version: 1, patch: { countyName: 'Kronobergs län (G)' } }, as.admin);
    expect(updated.data!.updateRegion).toEqual({ __typename: 'Region', version: 2, code: '07', name: 'Region Kronoberg', countyName: 'Kronobergs län (G)' });
    const read = await server.graphql(`{ region(code: "07") { countyName } }`);
    expect(read.data!.region.countyName).toBe('Kronobergs län (G)');
    expect(await refused(UPDATE_REGION, { id: KRONOBERG, version: 1, patch: { name: 'X' } }, 'updateRegion', as.admin)).toMatchObject({
      __typename: 'ConflictError',
      currentVersion: 2,
    });
    const log = await server.graphql(`query ($id: ID!) { changes(first: 5, entityId: $id) { edges { node { operation actor before after } } } }`, { id: KRONOBERG });
    expect(log.data!.changes.edges.at(-1).node).toMatchObject({
      operation: 'UPDATE',
      actor: as.adminKeyName,
      before: { countyName: 'Kronobergs län' },
      after: { countyName: 'Kronobergs län (G)' },
    });
  });

  it('refuses writers (regions are reference data), blank and huge names, and IDs of other types', async () => {
    expect(await refused(UPDATE_REGION, { id: KRONOBERG, version: 2, patch: { name: 'Region Kronoberg' } }, 'updateRegion')).toMatchObject({
      __typename: 'ForbiddenError',
      requiredScope: 'admin',
    });
    const bad = await refused(UPDATE_REGION, { id: KRONOBERG, version: 2, patch: { name: ' ', countyName: 'x'.repeat(201) } }, 'updateRegion', as.admin);
    expect(bad.issues.map((issue: any) => issue.path.join('.'))).toEqual(['patch.name', 'patch.countyName']);
    expect(await refused(UPDATE_REGION, { id: SIP, version: 1, patch: { name: 'X' } }, 'updateRegion', as.admin)).toMatchObject({
      __typename: 'ValidationError',
      issues: [{ path: ['id'] }],
    });
    const code = await server.graphql(UPDATE_REGION, { id: KRONOBERG, version: 2, patch: { code: '99' } }, as.admin);
    expect(code.status).toBe(400);
  });
});
