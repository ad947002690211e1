import { sql } from 'drizzle-orm';
import { type Connection, type ConnectOptions, connect } from './connect.ts';

/**
 * Read replicas: PostgreSQL standbys (streaming replication) that serve reads, so read traffic
 * can grow past what one primary answers. A replica is used only while it answers and is close
 * enough behind the primary; one that is down or lags beyond the limit is skipped until a check
 * finds it well again.
 */

/** A malformed `DATABASE_REPLICA_URLS`: says which entry and why, never its password. */
export class ReplicaConfigError extends Error {
  override name = 'ReplicaConfigError';
}

/** A connection string without its password, for messages, logs and `/readyz`. */
export function redactUrl(text: string): string {
  const scheme = text.indexOf('://');
  const at = text.lastIndexOf('@');
  if (scheme < 0 || at < scheme) return text;
  const userInfo = text.slice(scheme + 3, at);
  const colon = userInfo.indexOf(':');
  if (colon < 0) return text;
  return `${text.slice(0, scheme + 3)}${userInfo.slice(0, colon)}:***${text.slice(at)}`;
}

/** The replicas' connection strings from a comma-separated list (empty entries are ignored). */
export function parseReplicaUrls(text: string | undefined, variable = 'DATABASE_REPLICA_URLS'): string[] {
  if (text === undefined || text.trim() === '') return [];
  const entries = text.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  entries.forEach((entry, index) => {
    const where = `${variable}, entry ${index + 1} of ${entries.length} (${redactUrl(entry)})`;
    let url: URL;
    try {
      url = new URL(entry);
    } catch {
      throw new ReplicaConfigError(`${where} is not a URL: expected postgres://user:password@host:port/database.`);
    }
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
      throw new ReplicaConfigError(`${where} has the scheme "${url.protocol}": expected postgres:// or postgresql://.`);
    }
    if (url.hostname === '') throw new ReplicaConfigError(`${where} names no host.`);
    if (url.pathname.replace(/^\//, '') === '') throw new ReplicaConfigError(`${where} names no database.`);
  });
  return entries;
}

/** A replica's condition at its last check. */
export type ReplicaState = 'ok' | 'lagging' | 'down' | 'unknown';

export interface ReplicaStatus {
  /** host:port/database of the replica (no user, no password). */
  name: string;
  state: ReplicaState;
  /** How far behind the primary it is at most, in ms, as of the last check (null: not known). */
  lagMs: number | null;
  /** Bytes of WAL it has yet to replay (null: not known, e.g. while the primary is down). */
  lagBytes: number | null;
  /** When it was last checked (ISO time), null before the first check. */
  checkedAt: string | null;
}

export interface Replica {
  name: string;
  connection: Connection;
}

export interface ReplicaSetOptions {
  /** A replica further behind than this is skipped. */
  maxLagMs: number;
  /** How often the replicas (and the primary's position) are checked. */
  checkIntervalMs?: number;
  /** Longest a check waits for an answer before counting the replica as down. */
  checkTimeoutMs?: number;
  /** The primary, whose WAL position tells how far behind each replica is. */
  primary: Connection;
  /** Hears of each change of a replica's state (for the log, and to stop requests on one that went down). */
  onChange?: (replica: Replica, status: ReplicaStatus, previous: ReplicaState) => void;
}

export const DEFAULT_REPLICA_MAX_LAG_MS = 5_000;
const DEFAULT_CHECK_INTERVAL_MS = 500;
const DEFAULT_CHECK_TIMEOUT_MS = 700;

/** An LSN such as `16/B374D848` as a number that orders like it. */
export function lsnValue(lsn: string): bigint {
  const [high, low] = lsn.split('/');
  return (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`);
}

const timeout = <T>(promise: Promise<T>, ms: number): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
};

const rowsOf = (result: unknown) => result as Record<string, unknown>[];

/**
 * The replicas and their condition. How far behind a replica is comes from WAL positions: each
 * check notes the primary's position (`pg_current_wal_lsn()`) and when it was taken; a replica
 * that has replayed up to a noted position (`pg_last_wal_replay_lsn()`) was at most as old as
 * that note. This needs no clock agreement between servers and is not fooled by an idle primary
 * (where `pg_last_xact_replay_timestamp()` grows old although the replica is current). While the
 * primary cannot be reached, a replica that has replayed all it received counts as current (there
 * is nothing newer to be had); one still replaying is as old as `pg_last_xact_replay_timestamp()`.
 */
export class ReplicaSet {
  readonly #replicas: Replica[];
  readonly #status = new Map<Replica, ReplicaStatus>();
  /** The primary's noted positions, oldest first. */
  #marks: { lsn: bigint; at: number }[] = [];
  #next = 0;
  #timer: NodeJS.Timeout | null = null;
  #checking: Promise<void> | null = null;
  #closed = false;
  readonly #listeners: NonNullable<ReplicaSetOptions['onChange']>[] = [];

  constructor(
    replicas: Replica[],
    readonly options: ReplicaSetOptions,
  ) {
    this.#replicas = replicas;
    if (options.onChange) this.#listeners.push(options.onChange);
    for (const replica of replicas) {
      this.#status.set(replica, { name: replica.name, state: 'unknown', lagMs: null, lagBytes: null, checkedAt: null });
    }
  }

  get size(): number {
    return this.#replicas.length;
  }

  /** Checks every replica now, then every `checkIntervalMs`. */
  async start(): Promise<void> {
    await this.check();
    this.#schedule();
  }

  #schedule() {
    if (this.#closed) return;
    this.#timer = setTimeout(() => {
      void this.check().finally(() => this.#schedule());
    }, this.options.checkIntervalMs ?? DEFAULT_CHECK_INTERVAL_MS);
    this.#timer.unref();
  }

  /** The next usable replica in turn (reads are spread across them), or null when none is. */
  pick(): Replica | null {
    for (let tried = 0; tried < this.#replicas.length; tried += 1) {
      const replica = this.#replicas[this.#next % this.#replicas.length]!;
      this.#next = (this.#next + 1) % this.#replicas.length;
      if (this.#status.get(replica)!.state === 'ok') return replica;
    }
    return null;
  }

  /** Whether any replica is usable now. */
  get usable(): boolean {
    return this.#replicas.some((replica) => this.#status.get(replica)!.state === 'ok');
  }

  status(): ReplicaStatus[] {
    return this.#replicas.map((replica) => ({ ...this.#status.get(replica)! }));
  }

  /** A request found the replica unreachable: skip it until a check finds it answering. */
  markDown(replica: Replica) {
    const status = this.#status.get(replica);
    if (status) this.#set(replica, { ...status, state: 'down', lagMs: null, lagBytes: null });
  }

  /** One check of the primary's position and of every replica (one check at a time). */
  check(): Promise<void> {
    this.#checking ??= this.#check().finally(() => (this.#checking = null));
    return this.#checking;
  }

  async #check() {
    const checkTimeout = this.options.checkTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
    const at = Date.now();
    let primaryLsn: bigint | null = null;
    try {
      const rows = rowsOf(await timeout(this.options.primary.db.execute(sql`select pg_current_wal_lsn()::text as lsn`), checkTimeout));
      primaryLsn = lsnValue(String(rows[0]!.lsn));
      this.#marks.push({ lsn: primaryLsn, at });
      // Marks older than a few times the limit are of no use: a replica behind all of them is lagging anyway.
      const horizon = Date.now() - 4 * this.options.maxLagMs;
      while (this.#marks.length > 2 && this.#marks[0]!.at < horizon) this.#marks.shift();
    } catch {
      // The primary is down: replicas are judged on their own.
    }
    await Promise.all(this.#replicas.map((replica) => this.#checkReplica(replica, primaryLsn, checkTimeout)));
  }

  async #checkReplica(replica: Replica, primaryLsn: bigint | null, checkTimeout: number) {
    const checkedAt = new Date().toISOString();
    let row: Record<string, unknown>;
    try {
      const rows = rowsOf(
        await timeout(
          replica.connection.db.execute(sql`select pg_is_in_recovery() as recovery,
            pg_last_wal_replay_lsn()::text as replay, pg_last_wal_receive_lsn()::text as receive,
            extract(epoch from now() - pg_last_xact_replay_timestamp()) * 1000 as replay_age_ms,
            case when pg_is_in_recovery() then null else pg_current_wal_lsn()::text end as own`),
          checkTimeout,
        ),
      );
      row = rows[0]!;
    } catch {
      this.#set(replica, { name: replica.name, state: 'down', lagMs: null, lagBytes: null, checkedAt });
      return;
    }
    // A server out of recovery (promoted, or not a standby at all) is as current as it gets.
    const replay = row.recovery ? (row.replay ? lsnValue(String(row.replay)) : null) : lsnValue(String(row.own));
    let lagMs: number | null = null;
    let lagBytes: number | null = null;
    if (replay === null) {
      lagMs = null;
    } else if (primaryLsn !== null) {
      lagBytes = primaryLsn > replay ? Number(primaryLsn - replay) : 0;
      const now = Date.now();
      const covered = [...this.#marks].reverse().find((mark) => mark.lsn <= replay);
      lagMs = lagBytes === 0 ? 0 : covered ? now - covered.at : now - this.#marks[0]!.at;
    } else {
      const receive = row.receive ? lsnValue(String(row.receive)) : replay;
      lagMs = receive > replay && row.replay_age_ms != null ? Math.round(Number(row.replay_age_ms)) : 0;
    }
    const state: ReplicaState = lagMs === null ? 'lagging' : lagMs > this.options.maxLagMs ? 'lagging' : 'ok';
    this.#set(replica, { name: replica.name, state, lagMs, lagBytes, checkedAt });
  }

  #set(replica: Replica, status: ReplicaStatus) {
    const previous = this.#status.get(replica)!.state;
    this.#status.set(replica, status);
    if (previous !== status.state) for (const listener of this.#listeners) listener(replica, status, previous);
  }

  /** Hears of each change of a replica's state from now on. */
  onChange(listener: NonNullable<ReplicaSetOptions['onChange']>) {
    this.#listeners.push(listener);
  }

  async close() {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#checking?.catch(() => {});
    await Promise.all(this.#replicas.map((replica) => replica.connection.close()));
  }
}

/** The name a replica is reported by: host, port and database, nothing of its credentials. */
export function replicaName(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
}

/**
 * Connects to the replicas (lazily: a replica that is down at start is skipped until it answers)
 * and checks them once. The options are those of the primary's connection (pool size, timeouts).
 */
export async function connectReplicas(
  urls: string[],
  options: Omit<ReplicaSetOptions, 'primary'> & { primary: Connection; connect?: Omit<ConnectOptions, 'databaseUrl'> },
): Promise<ReplicaSet> {
  const replicas: Replica[] = [];
  for (const url of urls) {
    replicas.push({ name: replicaName(url), connection: await connect({ ...options.connect, databaseUrl: url }) });
  }
  const set = new ReplicaSet(replicas, options);
  await set.start();
  return set;
}
