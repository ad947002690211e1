import type { Database } from '@naravard/db';
import type DataLoader from 'dataloader';

/** Who is calling. Reads are public; writes need an API key (see the auth module). */
export interface Principal {
  kind: 'anonymous';
}

export interface Context {
  db: Database;
  principal: Principal;
  /**
   * Per-request DataLoaders, created on first use and keyed by a name, so that every resolver
   * of one request shares a batch and nothing is cached across requests.
   */
  loader<K, V>(name: string, create: () => DataLoader<K, V>): DataLoader<K, V>;
}

export function createContext({ db }: { db: Database }): Context {
  const loaders = new Map<string, DataLoader<unknown, unknown>>();
  return {
    db,
    principal: { kind: 'anonymous' },
    loader<K, V>(name: string, create: () => DataLoader<K, V>) {
      let loader = loaders.get(name) as DataLoader<K, V> | undefined;
      if (!loader) {
        loader = create();
        loaders.set(name, loader as DataLoader<unknown, unknown>);
      }
      return loader;
    },
  };
}
