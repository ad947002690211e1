import type { Database, Transaction } from './connect.ts';
import { changeLog } from './schema/changes.ts';
import type { EntityType } from './schema/enums.ts';

export type ChangeOperation = (typeof changeLog.operation.enumValues)[number];

export interface Change {
  /** The API key's name, or "system". */
  actor: string;
  apiKeyId: string | null;
  operation: ChangeOperation;
  entityType: EntityType;
  entityId: string;
  before: unknown;
  after: unknown;
}

/** Appends a change to the log, inside the transaction that made it, so a change and its record commit or fail together. */
export async function recordChange(tx: Database | Transaction, change: Change) {
  await tx.insert(changeLog).values({
    ...change,
    before: change.before === null ? null : JSON.parse(JSON.stringify(change.before)),
    after: change.after === null ? null : JSON.parse(JSON.stringify(change.after)),
  });
}
