import type { Database } from '@naravard/db';
import type DataLoader from 'dataloader';

import type { Principal } from './auth.ts';
import type { RequestScope } from './budget.ts';

export type { Principal };

export interface Context {
  /**
   * The database the operation reads from: a read replica for queries, the primary for mutations
   * (read-routing.ts). Over HTTP, the request's own handle, whose statements stop with the request.
   */
  db: Database;
  /** The primary: every write and its transaction. */
  writer: Database;
  principal: Principal;
  /** The HTTP request's budget, client and cost; absent for work outside a request (tests, scripts). */
  request?: RequestScope;
  /**
   * Per-request DataLoaders, created on first use and keyed by a name, so that every resolver
   * of one request shares a batch and nothing is cached across requests.
   */
  loader<K, V>(name: string, create: () => DataLoader<K, V>): DataLoader<K, V>;
  /** The request's loader of that name if one was made, without making one. */
  existingLoader<K, V>(name: string): DataLoader<K, V> | undefined;
}

export function createContext({
  db,
  writer = db,
  principal = { kind: 'anonymous' },
  request,
}: {
  db: Database;
  writer?: Database;
  principal?: Principal;
  request?: RequestScope;
}): Context {
  const loaders = new Map<string, DataLoader<unknown, unknown>>();
  return {
    db,
    writer,
    principal,
    ...(request ? { request } : {}),
    loader<K, V>(name: string, create: () => DataLoader<K, V>) {
      let loader = loaders.get(name) as DataLoader<K, V> | undefined;
      if (!loader) {
        loader = create();
        loaders.set(name, loader as DataLoader<unknown, unknown>);
      }
      return loader;
    },
    existingLoader<K, V>(name: string) {
      return loaders.get(name) as DataLoader<K, V> | undefined;
    },
  };
}
