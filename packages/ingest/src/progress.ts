import cliProgress from 'cli-progress';

/** What an importer reports while it runs. */
export interface ProgressUpdate {
  /** Pages fetched (Kolada) or bytes read (CSV), towards `total` when known. */
  done: number;
  total?: number | undefined;
  /** Rows read so far. */
  rows: number;
  /** What `done` counts: "pages" or "bytes". */
  unit: 'pages' | 'bytes';
  /** The stage: "reading", "merging". */
  stage: string;
}

export interface Progress {
  update(update: ProgressUpdate): void;
  stop(): void;
}

/**
 * Progress for a person at a terminal (a bar with pages or bytes, rows, rate and ETA) or, when
 * the output is not a terminal, one JSON line per second on stdout, next to the summary, for the
 * program reading it.
 */
export function progressFor(output: NodeJS.WriteStream = process.stderr.isTTY ? process.stderr : process.stdout): Progress {
  const started = performance.now();
  const rate = (rows: number) => Math.round(rows / Math.max((performance.now() - started) / 1000, 0.001));
  if (output.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream: output,
        format: '{stage} |{bar}| {percentage}% {value}/{total} {unit} | {rows} rows | {rate} rows/s | ETA {eta_formatted}',
        hideCursor: true,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    let begun = false;
    return {
      update(update) {
        const payload = { stage: update.stage, unit: update.unit, rows: update.rows.toLocaleString('en'), rate: rate(update.rows).toLocaleString('en') };
        if (!begun) {
          bar.start(update.total ?? update.done, update.done, payload);
          begun = true;
        }
        if (update.total !== undefined) bar.setTotal(update.total);
        else if (update.done > bar.getTotal()) bar.setTotal(update.done);
        bar.update(update.done, payload);
      },
      stop: () => bar.stop(),
    };
  }
  let lastWritten = 0;
  let last: ProgressUpdate | undefined;
  const write = (update: ProgressUpdate) => {
    const seconds = (performance.now() - started) / 1000;
    const eta = update.total && update.done > 0 ? Math.round((seconds / update.done) * (update.total - update.done)) : null;
    output.write(`${JSON.stringify({ event: 'progress', ...update, rowsPerSecond: rate(update.rows), etaSeconds: eta })}\n`);
  };
  return {
    update(update) {
      last = update;
      const now = performance.now();
      if (now - lastWritten >= 1000 || update.stage !== 'reading') {
        lastWritten = now;
        write(update);
      }
    },
    stop() {
      if (last) write(last);
    },
  };
}

/** No progress at all (tests and library use). */
export const silentProgress: Progress = { update() {}, stop() {} };
