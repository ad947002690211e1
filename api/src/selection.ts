import {
  type FieldNode,
  getNamedType,
  getNullableType,
  type GraphQLField,
  type GraphQLObjectType,
  isAbstractType,
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
 * Selections by the field node they were read from. A document is parsed once and its nodes are
 * reused by every request that sends it (Apollo's document cache), so a list field resolved for
 * each of 80 parents, and a query sent a thousand times, compute their selection once.
 */
const selectionsByNode = new WeakMap<FieldNode, Map<string, Selection | null>>();
/** Selections of the field itself (no path below it), by the type the field is resolved on. */
const ownSelectionsByNode = new WeakMap<FieldNode, Map<GraphQLObjectType, Selection | null>>();

/**
 * What the query selects from the rows a field returns (at `path` below it, e.g. the nodes of a
 * connection), with each field's kind, for choosing the columns to read (`columnsFor`).
 * Directives are not evaluated: a field under `@skip` counts as selected, which reads a column
 * more, never one less.
 */
export function selectionOf(info: GraphQLResolveInfo, ...path: string[]): Selection | null {
  // A field merged from several nodes (selected twice) is rare: computed each time.
  if (info.fieldNodes.length !== 1) return computeSelection(info, path);
  const node = info.fieldNodes[0]!;
  // A reference's own selection, resolved for every row of a page: found without building a key.
  if (path.length === 0) {
    let byParentType = ownSelectionsByNode.get(node);
    if (!byParentType) ownSelectionsByNode.set(node, (byParentType = new Map()));
    let selection = byParentType.get(info.parentType);
    if (selection === undefined) byParentType.set(info.parentType, (selection = computeSelection(info, path)));
    return selection;
  }
  let byPath = selectionsByNode.get(node);
  if (!byPath) selectionsByNode.set(node, (byPath = new Map()));
  // The same node under another return type (an interface's implementations) reads other fields.
  const key = `${info.parentType.name}.${path.join('.')}`;
  let selection = byPath.get(key);
  if (selection === undefined) byPath.set(key, (selection = computeSelection(info, path)));
  return selection;
}

/**
 * What the query selects from a field's value when it is of the object type `typeName`: for a
 * field whose type is a union or an interface (a search hit's record, a citation's subject), the
 * fields selected directly, under fragments on that type and under fragments on an interface or
 * union it belongs to. Lets such a field read only the columns its query needs from that type's
 * table (a document's full text is not read to show its ID).
 */
export function selectionOfType(info: GraphQLResolveInfo, typeName: string): Selection | null {
  if (info.fieldNodes.length !== 1) return computeTypeSelection(info, typeName);
  const node = info.fieldNodes[0]!;
  let byPath = selectionsByNode.get(node);
  if (!byPath) selectionsByNode.set(node, (byPath = new Map()));
  const key = `${info.parentType.name}>${typeName}`;
  let selection = byPath.get(key);
  if (selection === undefined) byPath.set(key, (selection = computeTypeSelection(info, typeName)));
  return selection;
}

function computeTypeSelection(info: GraphQLResolveInfo, typeName: string): Selection | null {
  const type = info.schema.getType(typeName);
  if (!isObjectType(type)) return null;
  const names = new Set(fieldNodesOfType(info, type).map((node) => node.name.value));
  return { fields: names, isCollection: collectionsOf(type) };
}

/**
 * The field nodes the resolving field's query selects from its value when that is of the object
 * type `type`: directly, under fragments on that type and under fragments on an interface or
 * union it belongs to.
 */
function fieldNodesOfType(info: GraphQLResolveInfo, type: GraphQLObjectType): FieldNode[] {
  const applies = (condition: string | undefined) => {
    if (condition === undefined || condition === type.name) return true;
    const named = info.schema.getType(condition);
    return isAbstractType(named) && info.schema.isSubType(named, type);
  };
  const nodes: FieldNode[] = [];
  const collect = (selectionSet: SelectionSetNode | undefined) => {
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === 'Field') nodes.push(selection);
      else if (selection.kind === 'InlineFragment') {
        if (applies(selection.typeCondition?.name.value)) collect(selection.selectionSet);
      } else {
        const fragment = info.fragments[selection.name.value];
        if (fragment && applies(fragment.typeCondition.name.value)) collect(fragment.selectionSet);
      }
    }
  };
  for (const node of info.fieldNodes) collect(node.selectionSet);
  return nodes;
}

/**
 * The field nodes the query selects from the value of the resolving field at `path` below it (a
 * connection's nodes: "edges", "node"), when that value is of the object type `typeName`.
 */
export function fieldNodesOfValue(info: GraphQLResolveInfo, typeName: string, path: readonly string[]): FieldNode[] {
  const type = info.schema.getType(typeName);
  if (!isObjectType(type)) return [];
  if (path.length === 0) return fieldNodesOfType(info, type);
  return fieldNodesBelow(nodesAt(info, [...path]), info);
}

/** The field nodes selected below these field nodes (the fields of their values), through fragments. */
export function fieldNodesBelow(nodes: readonly FieldNode[], info: GraphQLResolveInfo): FieldNode[] {
  return nodes.flatMap((node) => fieldsOf(node.selectionSet, info));
}

/** What these field nodes, selected from a value of `type`, select: the selection a resolver of that type's rows sees. */
export function selectionOfNodes(nodes: readonly FieldNode[], type: GraphQLObjectType): Selection {
  return { fields: new Set(nodes.map((node) => node.name.value)), isCollection: collectionsOf(type) };
}

function collectionsOf(type: GraphQLObjectType): (name: string) => boolean {
  const fields = type.getFields();
  const collections = new Set(
    Object.values(fields)
      .filter((field: GraphQLField<unknown, unknown>) => isListType(getNullableType(field.type)) || getNamedType(field.type).name.endsWith('Connection'))
      .map((field) => field.name),
  );
  return (name) => collections.has(name);
}

function computeSelection(info: GraphQLResolveInfo, path: string[]): Selection | null {
  let type = getNamedType(info.returnType);
  for (const name of path) {
    if (!isObjectType(type)) return null;
    const field = type.getFields()[name];
    if (!field) return null;
    type = getNamedType(field.type);
  }
  if (!isObjectType(type)) return null;
  const fields = type.getFields();
  const collections = new Set(
    Object.values(fields)
      .filter((field: GraphQLField<unknown, unknown>) => isListType(getNullableType(field.type)) || getNamedType(field.type).name.endsWith('Connection'))
      .map((field) => field.name),
  );
  return {
    fields: selectedFields(info, ...path),
    isCollection: (name) => collections.has(name),
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
