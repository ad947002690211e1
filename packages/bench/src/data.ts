/**
 * Fills a database with a national-scale data set of the platform's shape, for `bench:read`:
 *
 *   DATABASE_URL=postgres://… pnpm bench:data --scale national|small
 *
 * national: 60 k meetings of ~250 bodies in the 21 regions, 480 k agenda items, 720 k decisions,
 * 20 k assignments, 5 k documents with full text, citations on a share of records, and ~5 M
 * observations of 64 indicators by subject (the 21 regions and 290 municipalities) × month over ten
 * years, half of them split by ownership next to their totals. small is 1 % of it (for CI).
 *
 * Everything is generated inside the database with set-based statements (generate_series), from
 * word lists of common and rare Swedish words, with a fixed random seed, so two runs give the same
 * texts. Every constraint of the schema holds (it is written through the real tables). The
 * secondary indexes of the big tables are dropped while they fill and rebuilt after, which is what
 * makes it minutes rather than an hour. Without DATABASE_URL it fills the embedded database
 * (NARAVARD_DATA_DIR) instead.
 */
import { parseArgs } from 'node:util';
import { connect, prepareDatabase, selectRows } from '@naravard/db';
import { sql } from 'drizzle-orm';
import { BENCH_INDICATOR_PREFIX, COMMON_WORDS, RARE_HEADS, RARE_MIDDLES, RARE_TAILS, SCALES, type Scale } from './scale.ts';

const { values } = parseArgs({ options: { scale: { type: 'string', default: 'small' } } });
const scaleName = values.scale as keyof typeof SCALES;
const scale: Scale | undefined = SCALES[scaleName];
if (!scale) {
  console.error(`--scale must be one of ${Object.keys(SCALES).join(', ')}, got "${values.scale}"`);
  process.exit(2);
}

const connection = await connect({ statementTimeoutMs: 0 });
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const run = (text: string) => connection.db.execute(sql.raw(text));

try {
  await prepareDatabase(connection);
  const [present] = await selectRows<{ count: number }>(
    connection.db,
    sql.raw(`select count(*)::int as count from indicators where code like '${BENCH_INDICATOR_PREFIX}%'`),
  );
  if ((present?.count ?? 0) > 0) {
    console.log(`The bench data set is already in this database (${present!.count} bench indicators); nothing to do.`);
    process.exit(0);
  }

  // One transaction: an interrupted run leaves the database as it was (indexes included).
  const steps: [string, string][] = buildSteps(scale);
  await connection.db.transaction(async (transaction) => {
    for (const [index, [label, statement]] of steps.entries()) {
      const stepStart = Date.now();
      process.stdout.write(`[${index + 1}/${steps.length + 1}] ${label} … `);
      // One statement at a time: the embedded database takes no multi-statement strings.
      for (const part of statementsOf(statement)) await transaction.execute(sql.raw(part));
      console.log(`${((Date.now() - stepStart) / 1000).toFixed(1)} s (total ${elapsed()})`);
    }
  });
  process.stdout.write(`[${steps.length + 1}/${steps.length + 1}] vacuum and analyze … `);
  await run('vacuum analyze');
  console.log(`(total ${elapsed()})`);
  const counts = await selectRows<{ name: string; rows: number }>(
    connection.db,
    sql.raw(`select 'meetings' as name, count(*)::int as rows from meetings union all
      select 'agenda_items', count(*)::int from agenda_items union all
      select 'decisions', count(*)::int from decisions union all
      select 'assignments', count(*)::int from assignments union all
      select 'documents', count(*)::int from documents union all
      select 'citations', count(*)::int from citations union all
      select 'observations', count(*)::int from observations`),
  );
  console.log(`bench data set "${scaleName}" ready in ${elapsed()}: ${counts.map((c) => `${c.name} ${c.rows}`).join(', ')}`);
} finally {
  await connection.close();
}

/** The statements of an SQL text, split at semicolons outside $$-quoted bodies. */
function statementsOf(text: string): string[] {
  const statements: string[] = [];
  let current = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    if (text.startsWith('$$', index)) {
      quoted = !quoted;
      current += '$$';
      index++;
    } else if (text[index] === ';' && !quoted) {
      statements.push(current);
      current = '';
    } else current += text[index];
  }
  return [...statements, current].filter((statement) => statement.trim() !== '');
}

/** SQL text of a word list as a Postgres array literal. */
function wordArray(words: readonly string[]) {
  return `array[${words.map((word) => `'${word.replace(/'/g, "''")}'`).join(',')}]::text[]`;
}

function buildSteps(s: Scale): [string, string][] {
  const common = wordArray(COMMON_WORDS);
  // A rare word is a three-part compound ("hemhjärtmottagning"): 2,000 of them, each in a few dozen records.
  const rare = `(select array_agg(h || m || t order by h, m, t) from unnest(${wordArray(RARE_HEADS)}) h, unnest(${wordArray(RARE_MIDDLES)}) m, unnest(${wordArray(RARE_TAILS)}) t)`;
  // n words of common Swedish, one rare word in 1 of `rareEvery` texts; `salt` ties the subquery to the row.
  const words = (n: string, salt: string) =>
    `(select string_agg(w.word, ' ') from (select (select c from bench_words) [1 + floor(random() * (select cardinality(c) from bench_words))::int] as word
      from generate_series(1, ${n} + 0 * ${salt})
      union all select (select r from bench_words) [1 + floor(random() * ${s.rareWords})::int]
      where random() < 1.0 / ${s.rareEvery} + 0 * ${salt}) w)`;
  const bigTables = ['observations', 'decisions', 'agenda_items', 'meetings', 'citations', 'documents', 'assignments'];

  return [
    ['random seed and word lists', `select setseed(0.2018);
      create table bench_words as select ${common} as c, ${rare} as r`],
    [
      'secondary indexes set aside while filling',
      `create table bench_indexes as
         select indexname, indexdef from pg_indexes
         where schemaname = 'public' and tablename in (${bigTables.map((t) => `'${t}'`).join(',')})
           and indexname not in (select conname from pg_constraint where contype in ('p', 'u'));
       do $$ declare i record; begin
         for i in select indexname from bench_indexes loop execute format('drop index %I', i.indexname); end loop;
       end $$`,
    ],
    [
      `bodies (${s.bodiesPerRegion} per region)`,
      `insert into organisations (id, kind, name, region_id, description)
       select md5('bench-body-' || r.code || '-' || b)::uuid,
         (array['board','committee','steering_group','working_group','administration']::organisation_kind[])[1 + b % 5],
         (array['Hälso- och sjukvårdsnämnden','Beredningen för nära vård','Styrgruppen för nära vård','Arbetsgruppen för primärvård','Regionstyrelsen','Samverkansgruppen'])[1 + b % 6] || ' ' || b || ', ' || r.name,
         r.id, 'Bench body'
       from regions r cross join generate_series(1, ${s.bodiesPerRegion}) b`,
    ],
    [
      `${s.meetings} meetings`,
      `insert into meetings (id, title, kind, organisation_id, region_id, held_on, starts_at, ends_at, place)
       select md5('bench-meeting-' || n)::uuid,
         'Sammanträde ' || n, (array['sitting','steering_group','dialogue_meeting','seminar']::meeting_kind[])[1 + n % 4],
         md5('bench-body-' || r.code || '-' || (1 + (n / 21) % ${s.bodiesPerRegion}))::uuid, r.id,
         date '2015-01-01' + ((n * 7919) % 3650), time '09:00', time '12:00',
         (array['Regionhuset','Digitalt möte','Vårdcentralen','Länssjukhuset'])[1 + n % 4]
       from generate_series(0, ${s.meetings - 1}) n
       join (select id, code, name, row_number() over (order by code) - 1 as k from regions) r on r.k = n % 21`,
    ],
    [
      `${s.meetings * 8} agenda items`,
      `insert into agenda_items (id, meeting_id, ordinal, title, summary)
       select md5('bench-item-' || i)::uuid, md5('bench-meeting-' || (i / 8))::uuid, 1 + i % 8,
         initcap(${words('4', 'i')}), ${words('30', 'i')}
       from generate_series(0, ${s.meetings * 8 - 1}) i`,
    ],
    [
      `${s.meetings * 12} decisions`,
      `insert into decisions (id, kind, title, text, decided_on, decided_by_id, meeting_id, agenda_item_id, region_id)
       select md5('bench-decision-' || d)::uuid,
         (array['decision','direction','delegation','approval']::decision_kind[])[1 + d % 4],
         case when d % 3 = 0 then initcap(${words('3', 'd')}) end,
         'Beslut att ' || ${words('22', 'd')}, m.held_on, m.organisation_id, m.id,
         md5('bench-item-' || (d * 2 / 3))::uuid, m.region_id
       from generate_series(0, ${s.meetings * 12 - 1}) d
       join meetings m on m.id = md5('bench-meeting-' || (d * 2 / 3 / 8))::uuid`,
    ],
    [
      `${s.assignments} assignments`,
      `insert into assignments (id, reference, title, description, issued_by_id, assignee_organisation_id, origin_decision_id, region_id, issued_on, due_on, status)
       select md5('bench-assignment-' || n)::uuid, 'Nr ' || (1 + n % 40), initcap(${words('5', 'n')}), ${words('40', 'n')},
         x.decided_by_id, x.decided_by_id, x.id, x.region_id, x.decided_on, x.decided_on + 365,
         (array['not_started','started','ongoing','completed','not_applicable','not_handled']::assignment_status[])[1 + n % 6]
       from generate_series(0, ${s.assignments - 1}) n
       join decisions x on x.id = md5('bench-decision-' || (n * 36))::uuid`,
    ],
    [
      `${s.documents} documents with full text`,
      `insert into documents (id, title, kind, region_id, issued_on, registry_number, origin, text_sha256, text)
       select md5('bench-document-' || n)::uuid, t.title, (array['minutes','report','audit_response','information_letter']::document_kind[])[1 + n % 4],
         r.id, date '2015-01-01' + ((n * 104729) % 3650), 'RS ' || (2015 + n % 10) || '/' || n, 'Bench data set',
         encode(sha256(convert_to(t.text, 'UTF8')), 'hex'), t.text
       from generate_series(0, ${s.documents - 1}) n
       join (select id, row_number() over (order by code) - 1 as k from regions) r on r.k = n % 21
       cross join lateral (select 'Protokoll ' || n as title,
         (select string_agg(${words('12', 'n + l')}, E'\\n') from generate_series(1, ${s.documentLines} + 0 * n) l) as text) t`,
    ],
    [
      'citations on a third of decisions and every tenth meeting',
      `insert into citations (document_id, entity_type, entity_id, quote, line_start, line_end)
       select md5('bench-document-' || ((d * 7) % ${s.documents}))::uuid, 'decision'::entity_type, md5('bench-decision-' || d)::uuid,
         'Beslut ' || d, 1 + d % ${s.documentLines}, 1 + d % ${s.documentLines}
       from generate_series(0, ${s.meetings * 12 - 1}, 3) d
       union all
       select md5('bench-document-' || ((n * 11) % ${s.documents}))::uuid, 'meeting'::entity_type, md5('bench-meeting-' || n)::uuid,
         'Sammanträde ' || n, 1, 2
       from generate_series(0, ${s.meetings - 1}, 10) n`,
    ],
    [
      `${s.indicators} indicators`,
      `insert into indicators (id, code, name, unit, direction, source_system)
       select md5('bench-indicator-' || k)::uuid, '${BENCH_INDICATOR_PREFIX}' || lpad(k::text, 2, '0'),
         'Bench indicator ' || k, (array['antal','procent','per 1 000 invånare'])[1 + k % 3],
         (array['higher_is_better','lower_is_better','neutral']::indicator_direction[])[1 + k % 3], 'Bench'
       from generate_series(1, ${s.indicators}) k`,
    ],
    [
      `observations: ${s.indicators} indicators × ${s.subjects} subjects × ${s.months} months (+ yearly values)`,
      `insert into observations (indicator_id, region_id, organisation_id, period, value, dimensions)
       select md5('bench-indicator-' || k)::uuid, subject.region_id, subject.organisation_id, p.period,
         round((random() * 1000)::numeric, 1), dims.dimensions
       from generate_series(1, ${s.indicators}) k
       cross join (
         (select id as region_id, null::uuid as organisation_id from regions order by code)
         union all
         (select null::uuid, id from organisations where kind = 'municipality' order by municipality_code limit ${s.subjects - 21})
       ) subject
       cross join (
         select to_char(date '2015-01-01' + make_interval(months => m), 'YYYY-MM') as period from generate_series(0, ${s.months - 1}) m
         union all select (2015 + y)::text from generate_series(0, ${Math.max(1, Math.floor(s.months / 12)) - 1}) y
       ) p
       cross join lateral (
         select v.dimensions from (values (1, '{}'::jsonb), (2, '{"ownership":"public"}'::jsonb), (3, '{"ownership":"private"}'::jsonb)) v(o, dimensions)
         where v.o = 1 or (k % 2 = 0 and length(p.period) = 7)
       ) dims`,
    ],
    [
      'secondary indexes rebuilt',
      `do $$ declare i record; begin
         for i in select indexdef from bench_indexes loop execute i.indexdef; end loop;
       end $$;
       drop table bench_indexes;
       drop table bench_words`,
    ],
  ];
}
