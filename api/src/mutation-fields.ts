import { type EntityName, entityNamed } from '@naravard/db';
import type { ObjectRef } from '@pothos/core';
import type { builder } from './builder.ts';
import type { RuledInput } from './ruled-inputs.ts';
import { WRITE_ERRORS } from './write-error-types.ts';
import { parseInput, rules, stripUndefined, type Writer, write } from './writes.ts';

/**
 * The update, delete and restore mutations every domain has, written once: the arguments, the
 * scope, the typed errors and the transaction are the same for all; each field keeps its own
 * description and adds only what is particular to its records (a check, the references a patch
 * names, the parts deleted or restored with it). The record type is the GraphQL type of `ref`
 * (its name is the entity name).
 */

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;
type MutationFieldBuilder = PothosSchemaTypes.MutationFieldBuilder<Types, Types['Root']>;
type Bookkept = Record<string, unknown> & { id: string; version: number; deletedAt: Date | null };

interface UpdateFieldOptions<Row, Patch extends Record<string, unknown>> {
  ref: ObjectRef<Types, Row>;
  description: string;
  /** The description of the `id` argument ("The meeting."). */
  idDescription: string;
  /** The patch: its GraphQL input type and its rules, which give the patch as it is written (`ruledPatch`). */
  patch: RuledInput<Patch>;
  /** The description of the `patch` argument; "The fields to change." by default. */
  patchDescription?: string;
  /** `write` (the default), or `admin` for reference data. */
  scope?: 'write' | 'admin';
  /**
   * Patch fields that name another record by global ID, with the entity they must be a live record
   * of and the column the ID is stored in ({ grantor: { entity: 'Organisation', column: 'grantorId' } }).
   */
  references?: { [Field in keyof Patch]?: { entity: EntityName; column: string } };
  /** Patch fields that name a region by county code, with the column its ID is stored in ({ region: 'regionId' }). */
  regions?: { [Field in keyof Patch]?: string };
  /**
   * Refuses the change by throwing, after the version is checked and the references resolved:
   * sees the patch as given, the record as it is, and the values about to be written (references
   * as IDs under their columns).
   */
  check?: (writer: Writer, change: { patch: Patch; current: Row; values: Record<string, unknown> }) => Promise<void> | void;
  /** Runs after the update, in the same transaction. */
  afterUpdate?: (writer: Writer, updated: Row) => Promise<void>;
}

/**
 * An `update<X>(id, version, patch)` mutation: the live record at the version the client read (a
 * stale version is a ConflictError before anything else is checked), the references the patch
 * names checked to be live (NotFoundError at ["patch", field]), then the module's own check, then
 * the update, logged with before and after. A field left out of the patch is left as it is; null
 * clears it.
 */
export function updateField<Row extends Bookkept, Patch extends Record<string, unknown>>(t: MutationFieldBuilder, options: UpdateFieldOptions<Row, Patch>) {
  const entity = entityNamed(options.ref.name);
  // Typed as any bookkept record: Pothos cannot resolve its result type for a generic `Row`.
  const ref: ObjectRef<Types, Bookkept> = options.ref;
  const references = Object.entries(options.references ?? {}) as [string, { entity: EntityName; column: string }][];
  const regions = Object.entries(options.regions ?? {}) as [string, string][];
  return t.field({
    type: ref,
    description: options.description,
    authScopes: options.scope === 'admin' ? { admin: true } : { write: true },
    errors: { types: WRITE_ERRORS },
    args: {
      id: t.arg.id({ required: true, description: options.idDescription }),
      version: t.arg.int({ required: true, description: 'The version you last read (`version` field).' }),
      patch: t.arg({ type: options.patch.ref, required: true, description: options.patchDescription ?? 'The fields to change.' }),
    },
    resolve: async (_root, args, context) => {
      const id = parseInput(rules.globalId(entity), args.id, ['id']);
      const patch = parseInput(options.patch.rules, stripUndefined(args.patch), ['patch']);
      return write(context, async (writer) => {
        const current = await writer.currentAt<Row>(entity, id, args.version);
        await writer.requireLive(
          references.map(([field, reference]) => ({ entity: reference.entity, id: patch[field] as string | null | undefined, path: ['patch', field] })),
        );
        const values: Record<string, unknown> = { ...patch };
        for (const [field, reference] of references) {
          delete values[field];
          if (patch[field] !== undefined) values[reference.column] = patch[field];
        }
        for (const [field, column] of regions) {
          delete values[field];
          const regionId = await writer.regionId(patch[field] as string | null | undefined, ['patch', field]);
          if (regionId !== undefined) values[column] = regionId;
        }
        await options.check?.(writer, { patch, current, values });
        const updated = await writer.update<Row>(entity, id, args.version, values);
        await options.afterUpdate?.(writer, updated);
        return updated;
      });
    },
  });
}

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
