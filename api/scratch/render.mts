import { PgDialect } from 'drizzle-orm/pg-core';
import { pageStatement } from '../src/schema/search.ts';
const q = new PgDialect().sqlToQuery(pageStatement({ query: process.argv[2]! }, 0, 10, { exactOnly: process.argv[3] !== 'fuzzy', snippets: false }));
let text = q.sql;
q.params.forEach((p, i) => { text = text.replace(new RegExp(`\\$${i + 1}(?![0-9])`), `'${String(p).replace(/'/g, "''")}'`); });
console.log(text + ';');
