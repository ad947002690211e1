import { ImportInterrupted } from '../interrupted.ts';

/*
 * A polite client of the Kolada API v3 (https://api.kolada.se/v3): at most 5 requests a second,
 * retries with exponential backoff on 429 and 5xx, honouring Retry-After. Källa: Kolada.
 */

export const KOLADA_BASE_URL = 'https://api.kolada.se';

/** Kolada wraps every list: `{ count, values, next_url }`; `next_url` is null on the last page. */
export interface KoladaPage<T> {
  count: number;
  values: T[];
  next_url?: string | null;
}

export interface KoladaKpi {
  id: string;
  title: string;
  description?: string | null;
  operating_area?: string | null;
  is_divided_by_gender?: boolean | number | null;
  municipality_type?: string | null;
  has_ou_data?: boolean | null;
  publication_date?: string | null;
}

export interface KoladaValue {
  /** T total, K women (kvinnor), M men (män). */
  gender: 'T' | 'K' | 'M' | string;
  value: number | null;
  status?: string | null;
  isdeleted?: boolean | null;
}

export interface KoladaDataRow {
  kpi: string;
  period: number;
  municipality?: string;
  ou?: string;
  values: KoladaValue[];
  /** Set on rows removed since `from_date`. */
  isdeleted?: boolean | null;
}

export class KoladaError extends Error {
  constructor(
    message: string,
    readonly url: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'KoladaError';
  }
}

export interface KoladaClientOptions {
  baseUrl?: string;
  /** Most requests a second (Kolada asks for at most 5). */
  requestsPerSecond?: number;
  /** Retries of a request that got 429 or 5xx, or failed on the network. */
  retries?: number;
  /** The first wait before a retry, doubled each time, when the server sends no Retry-After. */
  backoffMs?: number;
  /** Stops requests and waits at once (Ctrl-C). */
  signal?: AbortSignal | undefined;
  /** Called before each wait, for progress and logs. */
  onRetry?: (info: { url: string; status: number | undefined; waitMs: number; attempt: number }) => void;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(new ImportInterrupted());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', stop);
      resolve();
    }, ms);
    const stop = () => {
      clearTimeout(timer);
      reject(new ImportInterrupted());
    };
    signal?.addEventListener('abort', stop, { once: true });
  });

/** Retry-After in milliseconds: seconds, or an HTTP date. */
function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

export class KoladaClient {
  readonly baseUrl: string;
  private readonly interval: number;
  private readonly retries: number;
  private readonly backoffMs: number;
  private nextStart = 0;
  requests = 0;

  constructor(private readonly options: KoladaClientOptions = {}) {
    this.baseUrl = (options.baseUrl ?? KOLADA_BASE_URL).replace(/\/+$/, '');
    this.interval = 1000 / (options.requestsPerSecond ?? 5);
    this.retries = options.retries ?? 5;
    this.backoffMs = options.backoffMs ?? 1000;
  }

  /** A path ("/v3/kpi?title=…") or a full URL (a `next_url`) as parsed JSON. */
  async get<T>(pathOrUrl: string): Promise<T> {
    const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${this.baseUrl}${pathOrUrl}`;
    for (let attempt = 0; ; attempt++) {
      await this.throttle();
      let status: number | undefined;
      let waitMs: number | undefined;
      try {
        this.requests += 1;
        const response = await fetch(url, { headers: { accept: 'application/json' }, signal: this.options.signal ?? null });
        status = response.status;
        if (response.ok) return (await response.json()) as T;
        if (status !== 429 && status < 500) throw new KoladaError(`Kolada answered ${status} for ${url}`, url, status);
        waitMs = retryAfterMs(response.headers.get('retry-after'));
        await response.body?.cancel();
      } catch (error) {
        if (this.options.signal?.aborted) throw new ImportInterrupted();
        if (error instanceof KoladaError) throw error;
        if (status === undefined && attempt >= this.retries) throw new KoladaError(`Kolada could not be reached at ${url}: ${(error as Error).message}`, url);
      }
      if (attempt >= this.retries) throw new KoladaError(`Kolada answered ${status} for ${url}, ${attempt + 1} times`, url, status);
      const wait = waitMs ?? this.backoffMs * 2 ** attempt;
      this.options.onRetry?.({ url, status, waitMs: wait, attempt: attempt + 1 });
      await sleep(wait, this.options.signal);
    }
  }

  /** Every page of a list, following `next_url`, from `start` (a path or a `next_url` to resume at). */
  async *pages<T>(start: string): AsyncGenerator<{ page: KoladaPage<T>; url: string }> {
    let url: string | null | undefined = start;
    while (url) {
      const page: KoladaPage<T> = await this.get<KoladaPage<T>>(url);
      yield { page, url };
      url = page.next_url;
    }
  }

  private async throttle() {
    const now = Date.now();
    const start = Math.max(now, this.nextStart);
    this.nextStart = start + this.interval;
    if (start > now) await sleep(start - now, this.options.signal);
  }
}
