/**
 * Every decision on one topic, across all regions, each with the passage of its source that it
 * rests on.
 *
 *   pnpm --filter @naravard/examples decisions-on-topic [topic-slug] [--region 07] [--json]
 *
 * The topic is a slug from `{ topics { edges { node { slug name } } } }`; the default is
 * "central-contact-entry" (central kontaktingång). Reads NARAVARD_URL (default
 * http://localhost:4000/graphql); needs no API key.
 */
import { parseArgs } from 'node:util';
import { createClient, type DecisionsQuery } from '@naravard/sdk';

type Decision = DecisionsQuery['decisions']['edges'][number]['node'];

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { region: { type: 'string' }, json: { type: 'boolean', default: false } },
});
const topic = positionals[0] ?? 'central-contact-entry';
const client = createClient({ url: process.env.NARAVARD_URL ?? 'http://localhost:4000/graphql' });

// paginate follows pageInfo.endCursor until the last page: every decision, oldest first.
const decisions: Decision[] = [];
for await (const decision of client.paginate.decisions({
  first: 50,
  orderBy: 'DECIDED_ON_ASC',
  filter: { topic, ...(values.region ? { region: values.region } : {}) },
})) {
  decisions.push(decision);
}

if (values.json) {
  console.log(JSON.stringify(decisions, null, 2));
  process.exit(0);
}

const topicName = decisions[0]?.topics.find((tag) => tag.slug === topic)?.name ?? topic;
const byRegion = new Map<string, Decision[]>();
for (const decision of decisions) {
  const region = decision.region?.name ?? 'No region';
  byRegion.set(region, [...(byRegion.get(region) ?? []), decision]);
}
console.log(`${topicName} (${topic}): ${decisions.length} decisions in ${byRegion.size} region${byRegion.size === 1 ? '' : 's'}`);

for (const [region, list] of byRegion) {
  console.log(`\n${region}${list[0]?.region ? ` (${list[0].region.code})` : ''}`);
  for (const decision of list) {
    console.log(`\n  ${decision.decidedOn ?? 'undated'}  ${decision.kind}  ${decision.title ?? decision.text}`);
    const where = [decision.decidedBy?.name, decision.meeting?.title].filter(Boolean).join(' · ');
    if (where) console.log(`    ${where}`);
    for (const citation of decision.citations) {
      console.log(`    “${citation.quote}”`);
      console.log(`      — ${citation.document.title}${citation.locator ? `, ${citation.locator}` : ''}`);
    }
  }
}
