/**
 * A short load of one query (or the mix) against a running API, for profiling it:
 *   DATABASE_URL=<the bench database, for parameters> tsx packages/bench/src/prof-load.mts <url> <Q1…Q6|Q6c|mix> [seconds] [connections]
 */
import autocannon from 'autocannon';
import postgres from 'postgres';
import { COMMON_SEARCH, MIX, QUERIES } from './read/queries.ts';
import { RARE_WORDS } from './scale.ts';
const [url, which, seconds, conns] = process.argv.slice(2);
const sql = postgres(process.env.DATABASE_URL!, { max: 1 });
const samples = {
  regions: (await sql`select code from regions order by code`).map((r) => r.code),
  meetingIds: (await sql`select id from meetings order by md5(id::text) limit 2000`).map((r) => r.id),
  indicators: (await sql`select code from indicators where code like 'BENCH_I%' order by code`).map((r) => r.code),
  years: (await sql`select distinct left(period, 4) as year from observations order by 1`).map((r) => r.year),
  rareWords: RARE_WORDS.slice(0, 40), commonWords: ['vårdcentral', 'patient', 'beslut', 'uppdrag', 'kommun'],
};
await sql.end();
const defs = which === 'mix' ? MIX : [...QUERIES, COMMON_SEARCH].filter((q) => q.name === which);
let counter = 0;
const result = await autocannon({ url, connections: Number(conns ?? 16), duration: Number(seconds ?? 15), requests: [{ method: 'POST', headers: { 'content-type': 'application/json' },
  setupRequest: (r: any) => { const n = counter++; const d = defs[n % defs.length]!; return { ...r, body: JSON.stringify({ query: d.query, variables: d.variables(samples, Math.floor(n / defs.length)) }) }; } }] });
console.log(`${which}: ${(result.requests.total / Number(seconds ?? 15)).toFixed(0)} req/s p50 ${result.latency.p50} p99 ${result.latency.p99} errors ${result.errors + result.non2xx}`);
