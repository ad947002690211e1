import { readFileSync } from 'node:fs';
import { buildSchema, type GraphQLNamedType, isEnumType, isInputObjectType, isInterfaceType, isObjectType, isUnionType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { printedSchema, SCHEMA_FILE } from '../src/printed-schema.ts';
import { schema } from '../src/schema/index.ts';

describe('the schema', () => {
  it('matches the committed api/schema.graphql (run `pnpm schema:print` after changing the API)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(printedSchema());
  });

  it('describes every type, field, argument, input field and enum value', () => {
    const missing: string[] = [];
    const types = Object.values(schema.getTypeMap()).filter((type: GraphQLNamedType) => !type.name.startsWith('__'));
    for (const type of types) {
      if (['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name)) continue;
      if (!type.description) missing.push(type.name);
      if (isObjectType(type) || isInterfaceType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          for (const arg of field.args) if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
      if (isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) if (!field.description) missing.push(`${type.name}.${field.name}`);
      }
      if (isEnumType(type)) {
        for (const value of type.getValues()) if (!value.description) missing.push(`${type.name}.${value.name}`);
      }
      if (isUnionType(type) && !type.description) missing.push(type.name);
    }
    expect(missing).toEqual([]);
  });

  it('is valid SDL that builds on its own', () => {
    expect(() => buildSchema(printedSchema())).not.toThrow();
  });

  it("leaves Relay's edges, node and pageInfo to the default resolver, and keeps every other resolver", () => {
    const connection = schema.getType('QueryMeetingsConnection');
    const edge = schema.getType('QueryMeetingsConnectionEdge');
    const meeting = schema.getType('Meeting');
    if (!isObjectType(connection) || !isObjectType(edge) || !isObjectType(meeting)) throw new Error('connection types missing');
    expect(connection.getFields().edges!.resolve).toBeUndefined();
    expect(connection.getFields().pageInfo!.resolve).toBeUndefined();
    expect(edge.getFields().node!.resolve).toBeUndefined();
    // Resolvers that do more than read their own property stay.
    expect(connection.getFields().totalCount!.resolve).toBeTypeOf('function');
    expect(meeting.getFields().id!.resolve).toBeTypeOf('function');
    expect(meeting.getFields().startsAt!.resolve).toBeTypeOf('function');
  });

  it('marks the global ID of every Node type, and nothing else, as computed from its parent', () => {
    const marked: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) if (field.extensions.jitFromParent === true) marked.push(`${type.name}.${field.name}`);
    }
    expect(marked).toContain('Meeting.id');
    expect(marked).toContain('Observation.id');
    expect(marked).toContain('Topic.id');
    expect(marked.every((name) => name.endsWith('.id'))).toBe(true);
    const nodeTypes = Object.values(schema.getTypeMap()).filter((type) => isObjectType(type) && type.getInterfaces().some((i) => i.name === 'Node'));
    expect(marked).toHaveLength(nodeTypes.length);
  });

  it('shares the resolve info within a request only for unwrapped resolvers below the root', () => {
    const meeting = schema.getType('Meeting');
    const query = schema.getType('Query');
    if (!isObjectType(meeting) || !isObjectType(query)) throw new Error('types missing');
    // A reference and a child list, resolved for every row of a page.
    expect(meeting.getFields().organisation!.extensions.jitSharedInfo).toBe(true);
    expect(meeting.getFields().agendaItems!.extensions.jitSharedInfo).toBe(true);
    // Wrapped by a plugin (which may read the path): each call keeps its own info.
    expect(meeting.getFields().assignments!.extensions.pothosResolveWrapped).toBe(true);
    expect(meeting.getFields().assignments!.extensions.jitSharedInfo).toBeUndefined();
    // Root fields run once per request: nothing to share.
    expect(query.getFields().meetings!.extensions.jitSharedInfo).toBeUndefined();
    // The global ID is called inline instead.
    expect(meeting.getFields().id!.extensions.jitSharedInfo).toBeUndefined();
  });
});
