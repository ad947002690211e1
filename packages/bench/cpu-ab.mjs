// A/B server CPU per request: node cpu.mjs <db> <query> <rounds> <secs> <conns> <label=dir[:nodeflags]> ...
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import autocannon from 'autocannon';
import postgres from 'postgres';
const [db, which, rounds, secs, conns, ...targets] = process.argv.slice(2);
const url = `postgres://postgres@127.0.0.1:5432/${db}`;
const { MIX, QUERIES } = await import('/work/main/packages/bench/src/read/queries.ts');
const { RARE_WORDS } = await import('/work/main/packages/bench/src/scale.ts');
const sql = postgres(url, { max: 1 });
const samples = {
  regions: (await sql`select code from regions order by code`).map((r) => r.code),
  meetingIds: (await sql`select id from meetings order by md5(id::text) limit 2000`).map((r) => r.id),
  indicators: (await sql`select code from indicators where code like 'BENCH_I%' order by code`).map((r) => r.code),
  years: (await sql`select distinct left(period, 4) as year from observations order by 1`).map((r) => r.year),
  rareWords: RARE_WORDS.slice(0, 40), commonWords: ['vårdcentral'],
};
await sql.end();
const defs = which === 'mix' ? MIX : QUERIES.filter((q) => q.name === which);
const ticks = (pid) => { const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return Number(f[11]) + Number(f[12]); };
const servers = [];
let port = 4450;
for (const t of targets) {
  const label = t.slice(0, t.indexOf('=')); const rest = t.slice(t.indexOf('=') + 1);
  const dir = rest.split(':')[0]; const flags = rest.slice(dir.length + 1);
  const p = port++;
  const child = spawn('node', [...flags.split(' ').filter(Boolean), '--import', 'tsx/esm', 'api/src/main.ts'], { cwd: dir, env: { ...process.env, NODE_ENV: 'production', PORT: String(p), HOST: '127.0.0.1', RATE_LIMIT_COST: '0', CONCURRENCY_LIMIT: '0', LOG_LEVEL: 'warn', DATABASE_URL: url }, stdio: ['ignore', 'ignore', 'inherit'] });
  servers.push({ label, child, port: p, results: [] });
}
for (const s of servers) { for (let i = 0; i < 120; i++) { try { const r = await fetch(`http://127.0.0.1:${s.port}/healthz`); if (r.ok) break; } catch {} await new Promise((r) => setTimeout(r, 500)); } }
const load = async (s, seconds) => { let counter = 0; const r = await autocannon({ url: `http://127.0.0.1:${s.port}/graphql`, connections: Number(conns), duration: seconds, requests: [{ method: 'POST', headers: { 'content-type': 'application/json' }, setupRequest: (req) => { const n = counter++; const d = defs[n % defs.length]; return { ...req, body: JSON.stringify({ query: d.query, variables: d.variables(samples, Math.floor(n / defs.length)) }) }; } }] }); return r; };
for (const s of servers) await load(s, 3);
for (let r = 0; r < Number(rounds); r++) for (const s of servers) {
  const t0 = ticks(s.child.pid); const res = await load(s, Number(secs)); const t1 = ticks(s.child.pid);
  const n = res.requests.total; s.results.push({ ms: ((t1 - t0) * 10) / n, rps: n / Number(secs), err: res.errors + res.non2xx });
}
for (const s of servers) console.log(s.label.padEnd(12), 'CPU ms/req', s.results.map((x) => x.ms.toFixed(3)).join(' '), '| req/s', s.results.map((x) => x.rps.toFixed(0)).join(' '), '| errors', s.results.reduce((a, x) => a + x.err, 0));
for (const s of servers) s.child.kill('SIGTERM');
process.exit(0);
