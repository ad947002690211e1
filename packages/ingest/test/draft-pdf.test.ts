import { existsSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptedPdf, longPdf, scannedPdf, textPdf } from './pdfs.ts';
import { type CliDatabase, createCliDatabase, naravard } from './support.ts';

/** Drafting from PDFs through the command line: text layers, scanned pages by OCR, and files that cannot be read. */
let database: CliDatabase;
let work: string;

beforeAll(async () => {
  database = await createCliDatabase({ seed: false });
  work = mkdtempSync(join(tmpdir(), 'naravard-pdf-'));
});
afterAll(() => database?.dispose());

async function draftFile(name: string, bytes: Uint8Array | string) {
  const file = join(work, name);
  writeFileSync(file, bytes);
  const out = join(work, `${name}.json`);
  const result = await naravard(['ingest', 'draft', file, '--region', '07', '--out', out], database.env);
  return { file, out, result };
}

describe('naravard ingest draft from a PDF', () => {
  it('reads the text layer of a PDF and cites lines of the text it keeps beside the draft', async () => {
    const pdf = await textPdf(['Protokoll Styrgrupp nära vård', 'Datum 2024-05-14', '', '1. Inledning', '', '2. Budget', '', 'Beslut: Styrgruppen godkänner budgeten för 2025.']);
    const { out, result } = await draftFile('protokoll.pdf', pdf);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('(pdf-text)');
    const seed = JSON.parse(readFileSync(out, 'utf8'));
    expect(seed.document.origin).toContain('text layer of the PDF');
    const text = readFileSync(join(work, 'documents', seed.document.file), 'utf8');
    expect(text).toContain('Datum 2024-05-14');
    expect(seed.meetings[0].heldOn).toBe('2024-05-14');
    expect(seed.meetings[0].agendaItems.map((item: any) => item.title)).toEqual(['Inledning', 'Budget']);
    const decision = seed.meetings[0].agendaItems[1].decisions[0];
    expect(decision.kind).toBe('approval'); // a short "godkänner" decision is an approval
    const [first, last] = decision.cite[0].lines;
    expect(text.split('\n').slice(first - 1, last).join(' ')).toContain('Styrgruppen godkänner budgeten');
  });

  it('reads a scanned page by OCR with the Swedish model, offline', async () => {
    const pdf = await scannedPdf(['Protokoll Styrgrupp nära vård', 'Datum 2024-05-14']);
    const { out, result } = await draftFile('skannad.pdf', pdf);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('(ocr)');
    const seed = JSON.parse(readFileSync(out, 'utf8'));
    expect(seed.document.origin).toContain('OCR of 1 scanned page(s)');
    expect(readFileSync(join(work, 'documents', seed.document.file), 'utf8')).toMatch(/Styrgrupp nära vård/);
    expect(seed.meetings[0]?.heldOn).toBe('2024-05-14');
  });
});

describe('files a draft cannot be made from: a clear error naming the file and the reason, nothing written', () => {
  const cases: [string, string, () => Promise<Uint8Array | string>, RegExp][] = [
    ['an empty file', 'tom.txt', async () => '', /tom\.txt: the file is empty/],
    ['a text file of only whitespace', 'mellanslag.txt', async () => ' \n\t\n', /mellanslag\.txt: the file holds no text/],
    ['a .pdf that is not a PDF', 'inte.pdf', async () => 'Protokoll 2024-05-14\n', /inte\.pdf: not a PDF/],
    ['an encrypted PDF', 'krypterad.pdf', encryptedPdf, /krypterad\.pdf: the PDF is encrypted/],
    ['a 300-page PDF', 'lang.pdf', () => longPdf(300), /lang\.pdf: the PDF has 300 pages; at most 200 are read/],
    ['a PDF without text where OCR finds nothing', 'blank.pdf', () => scannedPdf([]), /blank\.pdf: the PDF has no text layer and OCR found no text in it/],
  ];
  it('a file over the size limit, refused by its size before it is read', async () => {
    const file = join(work, 'stor.pdf');
    writeFileSync(file, '%PDF-1.7\n');
    truncateSync(file, 60 * 1024 * 1024); // sparse: 60 MB on the file's size, nothing on disk
    const out = join(work, 'stor.json');
    const result = await naravard(['ingest', 'draft', file, '--region', '07', '--out', out], database.env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/stor\.pdf: the file is 62914560 bytes; at most 52428800 are read/);
    expect(existsSync(out)).toBe(false);
  });

  it.each(cases)('%s', async (_case, name, make, message) => {
    const started = Date.now();
    const { out, result } = await draftFile(name, await make());
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(out)).toBe(false);
    expect(existsSync(join(work, 'documents', name.replace(/\.\w+$/, '.txt')))).toBe(false);
    expect(Date.now() - started).toBeLessThan(45_000);
  });
});
