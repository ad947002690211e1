/**
 * The floor of the read benchmark: the same data as the API's answers, from one hand-written SQL
 * statement per query on bare node:http and postgres.js. It takes the GraphQL request body the
 * API takes (POST /graphql, `operationName` and `variables`), so the load generator sends both
 * servers the same bytes, and answers `{"data": …}` shaped exactly as the API answers.
 *
 *   DATABASE_URL=… PORT=4100 tsx packages/bench/src/read/floor.ts
 */
import { createServer } from 'node:http';
import postgres from 'postgres';
import { globalId } from './queries.ts';

type Variables = Record<string, string>;
type Sql = postgres.Sql;

const periodStart = (period: string) => {
  const year = period.slice(0, 4);
  if (period.length === 4) return `${year}-01-01`;
  if (period[5] === 'Q') return `${year}-${String((Number(period[6]) - 1) * 3 + 1).padStart(2, '0')}-01`;
  return `${year}-${period.slice(5, 7)}-01`;
};
const periodEnd = (period: string) => {
  const year = Number(period.slice(0, 4));
  const months = period.length === 4 ? 12 : period[5] === 'Q' ? 3 : 1;
  const start = new Date(`${periodStart(period)}T00:00:00Z`);
  start.setUTCMonth(start.getUTCMonth() + months);
  return Number.isNaN(year) ? null : start.toISOString().slice(0, 10);
};

export const FLOOR: Record<string, (sql: Sql, v: Variables) => Promise<unknown>> = {
  async Q1(sql, v) {
    const rows = await sql`select m.id, m.title, m.held_on::text as held_on, o.name
      from meetings m left join organisations o on o.id = m.organisation_id
      where m.region_id = (select id from regions where code = ${v.region!}) and m.deleted_at is null
      order by m.held_on desc, m.id limit 20`;
    return {
      meetings: {
        edges: rows.map((r) => ({
          node: { id: globalId('Meeting', r.id), title: r.title, heldOn: r.held_on, organisation: r.name === null ? null : { name: r.name } },
        })),
      },
    };
  },
  async Q2(sql, v) {
    const rows = await sql`select m.id, m.title, (
        select coalesce(json_agg(json_build_object('ordinal', a.ordinal, 'title', a.title, 'decisions', (
          select coalesce(json_agg(json_build_object('kind', upper(d.kind::text), 'text', d.text) order by d.decided_on, d.created_at, d.id), '[]')
          from decisions d where d.agenda_item_id = a.id and d.deleted_at is null
        )) order by a.ordinal), '[]')
        from agenda_items a where a.meeting_id = m.id and a.deleted_at is null) as items
      from meetings m
      where m.region_id = (select id from regions where code = ${v.region!}) and m.held_on <= ${v.to!}::date and m.deleted_at is null
      order by m.held_on desc, m.id limit 10`;
    return {
      meetings: { edges: rows.map((r) => ({ node: { id: globalId('Meeting', r.id), title: r.title, agendaItems: r.items } })) },
    };
  },
  async Q3(sql, v) {
    const [type, id] = Buffer.from(v.id!, 'base64').toString('utf8').split(':');
    if (type !== 'Meeting') return { node: null };
    const [row] = await sql`select m.id, m.title, m.held_on::text as held_on, m.place, (
        select coalesce(json_agg(json_build_object('ordinal', a.ordinal, 'title', a.title, 'summary', a.summary) order by a.ordinal), '[]')
        from agenda_items a where a.meeting_id = m.id and a.deleted_at is null) as items
      from meetings m where m.id = ${id!}`;
    return {
      node: row ? { id: globalId('Meeting', row.id), title: row.title, heldOn: row.held_on, place: row.place, agendaItems: row.items } : null,
    };
  },
  async Q4(sql, v) {
    const rows = await sql`select o.period, o.value::text as value, o.dimensions
      from observations o
      where o.indicator_id = (select id from indicators where code = ${v.indicator!})
        and o.region_id = (select id from regions where code = ${v.region!})
        and o.period_start >= ${periodStart(v.from!)}::date and o.period_start < ${periodEnd(v.to!)}::date
        and o.deleted_at is null
      order by o.period_start, o.id limit 100`;
    return {
      observations: {
        edges: rows.map((r) => ({
          node: {
            period: r.period,
            value: r.value,
            dimensions: Object.entries(r.dimensions as Record<string, string>)
              .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
              .map(([name, value]) => ({ name, value })),
          },
        })),
      },
    };
  },
  async Q5(sql, v) {
    const rows = await sql`select r.code, count(*)::int as count, sum(o.value)::text as sum, trim_scale(avg(o.value))::text as avg
      from observations o left join regions r on r.id = o.region_id
      where o.indicator_id = (select id from indicators where code = ${v.indicator!} and deleted_at is null)
        and o.period_start >= ${periodStart(v.year!)}::date and o.period_start < ${periodEnd(v.year!)}::date
        and not (o.dimensions ? 'ownership') and o.deleted_at is null
      group by r.code order by r.code nulls last`;
    return { observationAggregates: rows.map((r) => ({ region: r.code === null ? null : { code: r.code }, count: r.count, sum: r.sum, avg: r.avg })) };
  },
  async Q6(sql, v) {
    const rows = await sql`with q as (select websearch_to_tsquery('swedish', naravard_unaccent(${v.q!}::text)) as q)
      select type, id, date::text as date, round(rank::numeric, 6)::float8 as rank from (
        select 'document' as type, d.id, d.issued_on as date, 1 + ts_rank_cd(d.search_vector, q.q, 1 | 32)::float8 as rank
          from documents d, q where d.search_vector @@ q.q and d.deleted_at is null
        union all select 'agenda_item', a.id, m.held_on, 1 + ts_rank_cd(a.search_vector, q.q, 1 | 32)::float8
          from agenda_items a join meetings m on m.id = a.meeting_id, q where a.search_vector @@ q.q and a.deleted_at is null
        union all select 'decision', x.id, x.decided_on, 1 + ts_rank_cd(x.search_vector, q.q, 1 | 32)::float8
          from decisions x, q where x.search_vector @@ q.q and x.deleted_at is null
        union all select 'assignment', s.id, coalesce(s.issued_on, s.due_on), 1 + ts_rank_cd(s.search_vector, q.q, 1 | 32)::float8
          from assignments s, q where s.search_vector @@ q.q and s.deleted_at is null
        union all select 'recommendation', r.id, au.reported_on, 1 + ts_rank_cd(r.search_vector, q.q, 1 | 32)::float8
          from recommendations r join audits au on au.id = r.audit_id, q where r.search_vector @@ q.q and r.deleted_at is null
      ) hits order by rank desc, date desc nulls last, id limit 10`;
    const typeNames: Record<string, string> = {
      document: 'Document',
      agenda_item: 'AgendaItem',
      decision: 'Decision',
      assignment: 'Assignment',
      recommendation: 'Recommendation',
    };
    return {
      search: {
        edges: rows.map((r) => ({
          node: { type: r.type.toUpperCase(), rank: r.rank, date: r.date, record: { id: globalId(typeNames[r.type]!, r.id) } },
        })),
      },
    };
  },
};

/** Starts the floor server on `port`; resolves when it listens. */
export function startFloor(databaseUrl: string, port: number) {
  const sql = postgres(databaseUrl, { max: 10, onnotice: () => {} });
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      let body: { operationName?: string; query?: string; variables?: Variables };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        response.writeHead(400).end();
        return;
      }
      const name = body.operationName ?? /query (Q\d)/.exec(body.query ?? '')?.[1] ?? '';
      const handler = FLOOR[name];
      if (!handler) {
        response.writeHead(404).end();
        return;
      }
      handler(sql, body.variables ?? {}).then(
        (data) => {
          response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
          response.end(JSON.stringify({ data }));
        },
        (error: unknown) => {
          response.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
          response.end(JSON.stringify({ errors: [{ message: String(error) }] }));
        },
      );
    });
  });
  return new Promise<{ close(): Promise<void> }>((resolve) =>
    server.listen(port, '127.0.0.1', () =>
      resolve({
        close: async () => {
          server.close();
          await sql.end({ timeout: 5 });
        },
      }),
    ),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('The floor server needs DATABASE_URL');
  await startFloor(url, Number(process.env.PORT ?? 4100));
  console.log(`floor listening on ${process.env.PORT ?? 4100}`);
}
