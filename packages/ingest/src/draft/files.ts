import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { checkSeedSet, type SeedFile, seedFileSchema, type SeedSet } from '@naravard/db';
import { IngestError } from './errors.ts';
import type { Draft } from './model.ts';

/**
 * A draft on disk is laid out as the seed data set is: `<name>.json` and, beside it,
 * `documents/<document.file>` with the text its citations point into, so a reviewed draft can be
 * moved into `db/seed/` as it is.
 */
export async function writeDraft(draft: Draft, outPath: string): Promise<{ json: string; text: string }> {
  const textPath = join(dirname(outPath), 'documents', draft.seed.document.file);
  await mkdir(dirname(textPath), { recursive: true });
  await writeFile(textPath, draft.text);
  await writeFile(outPath, `${JSON.stringify(draft.seed, null, 2)}\n`);
  return { json: outPath, text: textPath };
}

/** A draft file read back and validated: the seed-file format, and its text beside it. */
export async function readDraft(path: string): Promise<{ seed: SeedFile; text: string }> {
  const raw = await readFile(path, 'utf8').catch(() => {
    throw new IngestError(path, 'no such file');
  });
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new IngestError(path, `not valid JSON: ${(error as Error).message}`);
  }
  const parsed = seedFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new IngestError(path, `not a draft in the seed-file format:\n- ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('\n- ')}`);
  }
  const textPath = join(dirname(path), 'documents', parsed.data.document.file);
  const text = await readFile(textPath, 'utf8').catch(() => {
    throw new IngestError(path, `the document's text ${textPath} is missing (document.file names it)`);
  });
  return { seed: parsed.data, text };
}

/** What seed:check would say of the draft: keys, references, and every quote on its lines. */
export function checkDraft(seed: SeedFile, text: string, topics: SeedSet['topics']): string[] {
  const set: SeedSet = {
    topics,
    documents: [{ key: seed.document.key, text, lines: text.split('\n'), sha256: createHash('sha256').update(text).digest('hex'), seed, fileName: 'draft' }],
  };
  return checkSeedSet(set);
}
