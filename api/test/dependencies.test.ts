import { cruise, type IForbiddenRuleType } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

/*
 * The directions imports may take, as docs/ARCHITECTURE.md draws them, checked on the sources by
 * dependency-cruiser: a new import against them fails here, naming the two modules.
 */

const ROOT = new URL('../..', import.meta.url).pathname;

const RULES: IForbiddenRuleType[] = [
  {
    name: 'db knows nothing of GraphQL or of the packages above it',
    from: { path: '^db/src/' },
    // A package db does not depend on stays unresolved, and is named as written.
    to: { path: ['^(api|sdk|packages|examples)/', '(^|node_modules/)(graphql|graphql-jit|@pothos/[^/]+|@apollo/[^/]+)(/|$)'] },
  },
  {
    name: 'the importers write through db, never through the API',
    from: { path: '^packages/ingest/src/' },
    to: { path: '^(api|sdk)/' },
  },
  {
    name: 'the SDK reaches the API over HTTP only',
    from: { path: '^sdk/src/' },
    to: { path: '^(api|db|packages)/' },
  },
  {
    name: "shared mechanisms of the API never import a domain module: only the schema's assembly does",
    from: { path: '^api/src/[^/]+\\.ts$', pathNot: '^api/src/(index|server|printed-schema)\\.ts$' },
    to: { path: '^api/src/schema/' },
  },
  {
    // Type-only imports vanish at run time, so only imports of values count.
    name: 'no import cycle',
    from: {},
    to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
  },
];

async function violations(): Promise<string[]> {
  const previous = process.cwd();
  // dependency-cruiser names modules relative to the folder it runs in.
  process.chdir(ROOT);
  try {
    const result = await cruise(
      ['db/src', 'api/src', 'sdk/src', 'packages/ingest/src', 'packages/bench/src'],
      {
        validate: true,
        ruleSet: { forbidden: RULES.map((rule) => ({ severity: 'error', ...rule })) },
        tsPreCompilationDeps: true,
        doNotFollow: { path: 'node_modules' },
        exclude: { path: '(^|/)(dist|node_modules)/' },
        enhancedResolveOptions: { conditionNames: ['import', 'types', 'default'], exportsFields: ['exports'], mainFields: ['module', 'main', 'types'] },
      },
      undefined,
      { tsConfig: { compilerOptions: { allowImportingTsExtensions: true } } },
    );
    if (typeof result.output === 'string') throw new Error(result.output);
    expect(result.output.summary.totalCruised).toBeGreaterThan(150);
    return [...new Set(result.output.summary.violations.map((violation) => `${violation.rule.name}: ${violation.from} → ${violation.to}`))].sort();
  } finally {
    process.chdir(previous);
  }
}

describe('the directions of imports', () => {
  it('keeps db below the API, the SDK on HTTP, domain modules above the shared mechanisms, and no cycle', async () => {
    expect(await violations()).toEqual([]);
  });
});
