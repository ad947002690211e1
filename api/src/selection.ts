import {
  type FieldNode,
  getNamedType,
  getNullableType,
  type GraphQLField,
  type GraphQLResolveInfo,
  isListType,
  isObjectType,
  type SelectionSetNode,
} from 'graphql';
import type { Selection } from './columns.ts';

/**
 * The names of the fields a query selects below the resolving field, at `path` (e.g.
 * ["edges", "node"]), through fragments and inline fragments, under any alias. Lets a resolver
 * leave out work no one asked for (a snippet, a distinct list) without changing any answer.
 */
export function selectedFields(info: GraphQLResolveInfo, ...path: string[]): Set<string> {
  return new Set(nodesAt(info, path).flatMap((node) => fieldsOf(node.selectionSet, info).map((field) => field.name.value)));
}

/**
 * What the query selects from the rows a field returns (at `path` below it, e.g. the nodes of a
 * connection), with each field's kind, for choosing the columns to read (`columnsFor`).
 */
export function selectionOf(info: GraphQLResolveInfo, ...path: string[]): Selection | null {
  let type = getNamedType(info.returnType);
  for (const name of path) {
    if (!isObjectType(type)) return null;
    const field = type.getFields()[name];
    if (!field) return null;
    type = getNamedType(field.type);
  }
  if (!isObjectType(type)) return null;
  const fields = type.getFields();
  return {
    fields: selectedFields(info, ...path),
    isCollection: (name) => {
      const field: GraphQLField<unknown, unknown> | undefined = fields[name];
      if (!field) return false;
      const nullable = getNullableType(field.type);
      return isListType(nullable) || getNamedType(field.type).name.endsWith('Connection');
    },
  };
}

function nodesAt(info: GraphQLResolveInfo, path: string[]): readonly FieldNode[] {
  let level: readonly FieldNode[] = info.fieldNodes;
  for (const name of path) {
    level = level.flatMap((node) => fieldsOf(node.selectionSet, info).filter((field) => field.name.value === name));
  }
  return level;
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
