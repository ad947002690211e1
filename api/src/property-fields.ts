import { type GraphQLSchema, isObjectType } from 'graphql';

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
