import type { FieldNode, GraphQLResolveInfo, SelectionSetNode } from 'graphql';

/**
 * The names of the fields a query selects below the resolving field, at `path` (e.g.
 * ["edges", "node"]), through fragments and inline fragments, under any alias. Lets a resolver
 * leave out work no one asked for (a snippet, a distinct list) without changing any answer.
 */
export function selectedFields(info: GraphQLResolveInfo, ...path: string[]): Set<string> {
  let level: readonly FieldNode[] = info.fieldNodes;
  for (const name of path) {
    level = level.flatMap((node) => fieldsOf(node.selectionSet, info).filter((field) => field.name.value === name));
  }
  return new Set(level.flatMap((node) => fieldsOf(node.selectionSet, info).map((field) => field.name.value)));
}

function fieldsOf(selectionSet: SelectionSetNode | undefined, info: GraphQLResolveInfo): FieldNode[] {
  if (!selectionSet) return [];
  return selectionSet.selections.flatMap((selection) => {
    if (selection.kind === 'Field') return [selection];
    if (selection.kind === 'InlineFragment') return fieldsOf(selection.selectionSet, info);
    const fragment = info.fragments[selection.name.value];
    return fragment ? fieldsOf(fragment.selectionSet, info) : [];
  });
}
