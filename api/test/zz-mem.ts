import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { createTestDatabase } from '@naravard/db/testing';
import { createApp } from '../src/server.ts';
const N = Number(process.argv[2] ?? 200000);
const database = await createTestDatabase({ seed: true });
let t = Date.now();
await database.db.execute(sql`insert into observations (indicator_id, region_id, period, value, dimensions) select (select id from indicators where code='SIP_MEETINGS'), (select id from regions where code=lpad((1 + g % 25)::text, 2, '0') limit 1), (1900 + g/3000)::text || '-' || lpad(((g/250)%12+1)::text, 2, '0'), g / 7.0, jsonb_build_object('unit', 'u' || (g % 250)) from generate_series(0, ${sql.raw(String(N - 1))}) g where exists (select 1 from regions where code=lpad((1 + g % 25)::text, 2, '0'))`);
console.log('insert ms', Date.now() - t);
const app = await createApp({ connection: database, logger: pino({ level: 'warn' }) });
const port = await app.listen(0, '127.0.0.1');
const rss = () => Math.round(process.memoryUsage().rss / 1e6);
for (let i = 0; i < 2; i++) {
  const before = rss(); let peak = before; t = Date.now();
  const timer = setInterval(() => { peak = Math.max(peak, rss()); }, 20);
  const r = await fetch(`http://127.0.0.1:${port}/export/observations.csv`);
  let bytes = 0; const reader = r.body!.getReader();
  for (;;) { const { done, value } = await reader.read(); if (done) break; bytes += value.length; }
  clearInterval(timer);
  console.log('export', i, 'ms', Date.now() - t, 'MB', bytes / 1e6, 'rss before', before, 'peak', peak);
}
await app.stop();
await database.dispose();
