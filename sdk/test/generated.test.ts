import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import config from '../codegen.ts';

const SDK = fileURLToPath(new URL('..', import.meta.url));

describe('the generated SDK code', () => {
  it('matches what codegen makes from api/schema.graphql and sdk/operations (run `pnpm sdk:generate`)', async () => {
    const files = await generate({ ...config, cwd: SDK, silent: true }, false);
    expect(files).toHaveLength(1);
    const [file] = files as { filename: string; content: string }[];
    expect(readFileSync(new URL(`../${file!.filename}`, import.meta.url), 'utf8')).toBe(file!.content);
  });
});
