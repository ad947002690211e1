import { builder } from './builder.ts';

/** Fields every record has, for incremental refresh and tombstones. */
export interface Bookkeeping {
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
  version: number;
}

export const Timestamped = builder.interfaceRef<Bookkeeping>('Timestamped').implement({
  description: 'A record with creation and update times, so BI tools can refresh incrementally with `updatedSince`.',
  fields: (t) => ({
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the record was created in the platform.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When the record last changed.' }),
    version: t.exposeInt('version', {
      description: 'Increases with every change. Send it back with an update or delete: a stale version is refused (ConflictError).',
    }),
    deletedAt: t.expose('deletedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the record was deleted (a tombstone), or null while it is live.',
    }),
  }),
});
