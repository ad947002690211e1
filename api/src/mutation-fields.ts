import type { ObjectRef } from '@pothos/core';
import type { builder } from './builder.ts';
import { WRITE_ERRORS } from './write-error-types.ts';
import { entityNamed } from '@naravard/db';
import { parseInput, rules, type Writer, write } from './writes.ts';

/**
 * The delete and restore mutations every domain has, written once: the arguments, the scope, the
 * typed errors and the transaction are the same for all; each field keeps its own description and
 * adds only what is particular to its records (a check, the parts deleted or restored with it).
 * The record type is the GraphQL type of `ref` (its name is the entity name).
 */

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;
type MutationFieldBuilder = PothosSchemaTypes.MutationFieldBuilder<Types, Types['Root']>;
type Bookkept = Record<string, unknown> & { id: string; version: number; deletedAt: Date | null };

interface DeleteFieldOptions<Row, Before> {
  ref: ObjectRef<Types, Row>;
  description: string;
  /** The description of the `id` argument ("The meeting."). */
  idDescription: string;
  /**
   * Runs first, with the live record at the version the client read (so a stale version is a
   * ConflictError before anything else is checked): refuses the delete by throwing, or returns
   * what `afterDelete` needs.
   */
  beforeDelete?: (writer: Writer, current: Row) => Promise<Before>;
  /** Runs after the record is deleted, in the same transaction (e.g. deletes its parts). */
  afterDelete?: (writer: Writer, deleted: Row, before: Before) => Promise<void>;
}

/** A `delete<X>(id, version)` mutation: a soft delete (tombstone) that needs the `write` scope. */
export function deleteField<Row extends Bookkept, Before = undefined>(t: MutationFieldBuilder, options: DeleteFieldOptions<Row, Before>) {
  const entity = entityNamed(options.ref.name);
  // Typed as any bookkept record: Pothos cannot resolve its result type for a generic `Row`.
  const ref: ObjectRef<Types, Bookkept> = options.ref;
  return t.field({
    type: ref,
    description: options.description,
    authScopes: { write: true },
    errors: { types: WRITE_ERRORS },
    args: {
      id: t.arg.id({ required: true, description: options.idDescription }),
      version: t.arg.int({ required: true, description: 'The version you last read.' }),
    },
    resolve: (_root, args, context) => {
      const id = parseInput(rules.globalId(entity), args.id, ['id']);
      return write(context, async (writer) => {
        const before = options.beforeDelete
          ? await options.beforeDelete(writer, await writer.currentAt<Row>(entity, id, args.version))
          : (undefined as Before);
        const deleted = await writer.delete<Row>(entity, id, args.version);
        await options.afterDelete?.(writer, deleted, before);
        return deleted;
      });
    },
  });
}

interface RestoreFieldOptions<Row, Before> {
  ref: ObjectRef<Types, Row>;
  description: string;
  /** The description of the `id` argument ("The deleted meeting."). */
  idDescription: string;
  /** Runs first, with the ID of the record to restore: refuses by throwing, or returns what `afterRestore` needs. */
  beforeRestore?: (writer: Writer, id: string) => Promise<Before>;
  /** Runs after the record is restored, in the same transaction: refuses by throwing, or restores what was deleted with it. */
  afterRestore?: (writer: Writer, restored: Row, before: Before) => Promise<void>;
}

/** A `restore<X>(id)` mutation: brings back a deleted record; needs the `admin` scope. */
export function restoreField<Row extends Bookkept, Before = undefined>(t: MutationFieldBuilder, options: RestoreFieldOptions<Row, Before>) {
  const entity = entityNamed(options.ref.name);
  // Typed as any bookkept record: Pothos cannot resolve its result type for a generic `Row`.
  const ref: ObjectRef<Types, Bookkept> = options.ref;
  return t.field({
    type: ref,
    description: options.description,
    authScopes: { admin: true },
    errors: { types: WRITE_ERRORS },
    args: { id: t.arg.id({ required: true, description: options.idDescription }) },
    resolve: (_root, args, context) => {
      const id = parseInput(rules.globalId(entity), args.id, ['id']);
      return write(context, async (writer) => {
        const before = options.beforeRestore ? await options.beforeRestore(writer, id) : (undefined as Before);
        const restored = await writer.restore<Row>(entity, id);
        await options.afterRestore?.(writer, restored, before);
        return restored;
      });
    },
  });
}
