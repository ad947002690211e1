import { type GraphQLSchema, isNonNullType, isObjectType } from 'graphql';

/**
 * Removes the resolvers that only read the parent's property named like the field (Relay's
 * `edges`, `node` and `pageInfo`, which the Relay plugin defines as `(parent)=>parent.node`), so
 * both executors read the property directly: the default resolver does exactly that, and
 * graphql-jit then compiles the field to a property access instead of calling a resolver with
 * its own resolve info, path and promise check for each of a page's rows.
 *
 * A resolver is recognised by its source text, so a wrapped one (a plugin's, a domain's) and any
 * other shape keep their resolver; a test checks that the Relay fields are still recognised.
 * Returns how many fields changed.
 */
export function withoutPropertyResolvers(schema: GraphQLSchema): number {
  let changed = 0;
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.resolve && readsOwnProperty(field.resolve, field.name)) {
        field.resolve = undefined;
        changed += 1;
      }
    }
  }
  return changed;
}

function readsOwnProperty(resolve: (...args: never[]) => unknown, fieldName: string): boolean {
  const source = Function.prototype.toString.call(resolve).replace(/\s+/g, '');
  const match = /^\(?(\w+)\)?=>\1\.(\w+)$/.exec(source);
  return match !== null && match[2] === fieldName;
}

/**
 * Marks the global ID of every Node type (`id: ID!`) as computed from its parent alone: Relay's
 * `globalID` resolver (patched to answer synchronously) encodes the type's name and the row's ID,
 * reading neither arguments nor resolve info. graphql-jit (patched, see pnpm-workspace.yaml) then
 * calls it inline for each row instead of through a resolver call with its own info, path and
 * callbacks. graphql-js ignores the mark. The executor test checks that both executors give the
 * same answers for every operation of the SDK. Returns how many fields were marked.
 */
export function markGlobalIdsFromParent(schema: GraphQLSchema): number {
  let marked = 0;
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || !type.getInterfaces().some((implemented) => implemented.name === 'Node')) continue;
    const id = type.getFields().id;
    if (!id?.resolve || !isNonNullType(id.type) || String(id.type.ofType) !== 'ID') continue;
    id.extensions = { ...id.extensions, jitFromParent: true };
    marked += 1;
  }
  return marked;
}

/**
 * Marks the fields whose resolver is the schema's own function, unwrapped by any plugin, on the
 * types below the root: graphql-jit (patched) then makes such a field's resolve info once per
 * request instead of once per call, which for a reference or a child list resolved for each row
 * of a page was an object with its path of four more per row. The info such a resolver gets has
 * no `path` (the resolvers of this API read the selection from `fieldNodes`, never the path; a
 * plugin that reads the path, as scope-auth's cache does, wraps the resolver and is not marked).
 * Errors keep their paths: the executor builds them itself. Returns how many fields were marked.
 */
export function markSharedResolveInfo(schema: GraphQLSchema): number {
  const roots = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]);
  let marked = 0;
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__') || roots.has(type)) continue;
    for (const field of Object.values(type.getFields())) {
      if (!field.resolve || field.extensions.jitFromParent === true) continue;
      if (field.resolve !== field.extensions.pothosOriginalResolve) continue;
      field.extensions = { ...field.extensions, jitSharedInfo: true };
      marked += 1;
    }
  }
  return marked;
}
