import autocannon from 'autocannon';

export interface LoadResult {
  /** Mean requests per second over the measured window. */
  rps: number;
  p50: number;
  p99: number;
  total: number;
  /** Mean response size. */
  bytes: number;
  /** Responses other than 2xx, plus socket errors and timeouts: any of them voids the figure. */
  failures: number;
}

export interface LoadOptions {
  url: string;
  cookie?: string;
  connections: number;
  seconds: number;
  warmupSeconds?: number;
  headers?: Record<string, string>;
}

/** autocannon's own histogram counts whole milliseconds; its per-response times are hrtime floats, kept here. */
function run(url: string, headers: Record<string, string>, connections: number, seconds: number): Promise<{ result: autocannon.Result; latencies: number[] }> {
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const tracker = autocannon({ url, connections, duration: seconds, headers, pipelining: 1 }, (err, result) =>
      err ? reject(err) : resolve({ result, latencies }),
    );
    tracker.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Fixed-duration load from this process (the server is another process), after an unmeasured warm-up. */
export async function load(opts: LoadOptions): Promise<LoadResult> {
  const headers: Record<string, string> = { accept: 'application/json', ...(opts.cookie ? { cookie: opts.cookie } : {}), ...opts.headers };
  if (opts.warmupSeconds) await run(opts.url, headers, opts.connections, opts.warmupSeconds);
  const { result: r, latencies } = await run(opts.url, headers, opts.connections, opts.seconds);
  latencies.sort((a, b) => a - b);
  return {
    rps: r.requests.total / r.duration,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    total: r.requests.total,
    bytes: r.throughput.total / Math.max(1, r.requests.total),
    failures: r.non2xx + r.errors + r.timeouts,
  };
}

export const fmt = {
  rps: (n: number) => n.toFixed(0),
  ms: (n: number) => (n < 1 ? n.toFixed(3) : n < 10 ? n.toFixed(2) : n.toFixed(1)),
  ratio: (n: number) => n.toFixed(2),
};
