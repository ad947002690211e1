import { connect } from '@naravard/db';
import { createContext } from './src/context.ts';
import { readPage } from './src/schema/search/statements.ts';
const conn = await connect({ databaseUrl: process.env.DATABASE_URL, maxConnections: 1 });
const context = createContext({ db: conn.db });
const words = ['vårdcentral', 'patient', 'beslut', 'uppdrag', 'kommun'];
for (let round = 0; round < 3; round++) {
  const times: number[] = [];
  for (let i = 0; i < 100; i++) {
    const t = performance.now();
    await readPage(context, { query: words[i % words.length]! }, 0, 10, { exactOnly: true, snippets: false });
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(`median ${times[50]!.toFixed(1)} p90 ${times[90]!.toFixed(1)} ms`);
}
await conn.close();
