import { readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { IngestError } from './errors.ts';
import { encodePng } from './png.ts';
import { normaliseText } from './text.ts';

/** Bounds on what a draft reads, so a hostile or huge file fails fast instead of exhausting the machine. */
export const SOURCE_LIMITS = {
  maxBytes: 50 * 1024 * 1024,
  maxPages: 200,
  /** Pages read by OCR at most: OCR takes seconds a page. */
  maxOcrPages: 20,
  pdfMilliseconds: 60_000,
  ocrMilliseconds: 300_000,
};
export type SourceLimits = typeof SOURCE_LIMITS;

export interface ReadSource {
  text: string;
  origin: string;
  method: 'text' | 'pdf-text' | 'ocr';
}

/** Letters a page needs for its text layer to count: fewer means a scanned page. */
const MIN_LETTERS_PER_PAGE = 20;
const letters = (value: string) => (value.match(/\p{L}/gu) ?? []).length;

/**
 * The text of a .txt or .pdf file, normalised: a .txt as it is, a PDF from its text layer, a PDF of
 * scanned pages by OCR. Anything that cannot be read is an IngestError naming the file and why.
 */
export async function readSourceFile(path: string, limits: SourceLimits = SOURCE_LIMITS): Promise<ReadSource> {
  const name = basename(path);
  const info = await stat(path).catch(() => null);
  if (!info || !info.isFile()) throw new IngestError(path, 'no such file');
  if (info.size === 0) throw new IngestError(path, 'the file is empty');
  if (info.size > limits.maxBytes) throw new IngestError(path, `the file is ${info.size} bytes; at most ${limits.maxBytes} are read`);
  const bytes = await readFile(path);
  const extension = extname(path).toLowerCase();
  if (extension === '.txt') {
    const text = normaliseText(bytes.toString('utf8'));
    if (text.trim() === '') throw new IngestError(path, 'the file holds no text (only whitespace)');
    return { text, origin: `${name} (text file)`, method: 'text' };
  }
  if (extension === '.pdf') return readPdf(path, name, new Uint8Array(bytes), limits);
  throw new IngestError(path, `cannot draft from a "${extension || 'extensionless'}" file: give a .txt or a .pdf`);
}

async function readPdf(path: string, name: string, bytes: Uint8Array, limits: SourceLimits): Promise<ReadSource> {
  if (!Buffer.from(bytes.subarray(0, 1024)).toString('latin1').includes('%PDF-')) {
    throw new IngestError(path, 'not a PDF: the file does not start with "%PDF-"');
  }
  const { extractImages, extractText, getDocumentProxy } = await import('unpdf');
  const pdf = await within(limits.pdfMilliseconds, path, 'opening the PDF', getDocumentProxy(bytes, { stopAtErrors: true })).catch((error: unknown) => {
    if (error instanceof IngestError) throw error;
    const { name: kind, message } = error as Error;
    if (kind === 'PasswordException') throw new IngestError(path, 'the PDF is encrypted (password protected): save an unprotected copy and draft from that');
    throw new IngestError(path, `the PDF cannot be read: ${message}`);
  });
  try {
    if (pdf.numPages > limits.maxPages) throw new IngestError(path, `the PDF has ${pdf.numPages} pages; at most ${limits.maxPages} are read`);
    const { text: pages } = await within(limits.pdfMilliseconds, path, 'reading the text layer', extractText(pdf, { mergePages: false }));
    if (pages.every((page) => letters(page) >= MIN_LETTERS_PER_PAGE)) {
      return { text: normaliseText(pages.join('\n')), origin: `${name} (text layer of the PDF, ${pdf.numPages} pages)`, method: 'pdf-text' };
    }
    const scanned = pages.map((page, index) => (letters(page) < MIN_LETTERS_PER_PAGE ? index + 1 : 0)).filter((page) => page > 0);
    if (scanned.length > limits.maxOcrPages) {
      throw new IngestError(path, `${scanned.length} pages have no text layer; at most ${limits.maxOcrPages} are read by OCR`);
    }
    const images: { page: number; png: Buffer }[] = [];
    for (const page of scanned) {
      for (const image of await extractImages(pdf, page)) images.push({ page, png: encodePng(image.data, image.width, image.height, image.channels) });
    }
    if (images.length === 0) throw new IngestError(path, 'the PDF has no text layer and no images to read by OCR');
    const { recogniseImages } = await import('./ocr.ts');
    const recognised = await within(limits.ocrMilliseconds, path, 'OCR', recogniseImages(images.map((image) => image.png)));
    const byPage = new Map<number, string[]>();
    images.forEach((image, index) => byPage.set(image.page, [...(byPage.get(image.page) ?? []), recognised[index] ?? '']));
    const text = pages.map((page, index) => byPage.get(index + 1)?.join('\n') ?? page).join('\n');
    if (letters(text) < 3) throw new IngestError(path, 'the PDF has no text layer and OCR found no text in it');
    return { text: normaliseText(text), origin: `${name} (OCR of ${scanned.length} scanned page(s) of ${pdf.numPages}, Tesseract, Swedish)`, method: 'ocr' };
  } finally {
    await pdf.loadingTask.destroy();
  }
}

/** The work's result, or an IngestError when it takes longer than allowed. */
async function within<T>(milliseconds: number, path: string, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new IngestError(path, `${what} took longer than ${milliseconds / 1000} s`)), milliseconds);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
