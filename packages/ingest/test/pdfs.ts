import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import * as PImage from 'pureimage';

/** PDFs made in the test: with a text layer, image-only (scanned), encrypted, very long. */

export async function textPdf(lines: string[]): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const page = pdf.addPage([595, 842]);
  lines.forEach((line, index) => page.drawText(line, { x: 50, y: 800 - index * 16, size: 11, font }));
  return pdf.save();
}

/** One page holding only an image of the given lines, as a scanner makes it. */
export async function scannedPdf(lines: string[]): Promise<Uint8Array> {
  const png = await renderLines(lines);
  const pdf = await PDFDocument.create();
  const image = await pdf.embedPng(png);
  const page = pdf.addPage([image.width / 2, image.height / 2]);
  page.drawImage(image, { x: 0, y: 0, width: image.width / 2, height: image.height / 2 });
  return pdf.save();
}

/** Black text on white, in DejaVu Sans from npm, as a PNG. */
async function renderLines(lines: string[]): Promise<Buffer> {
  const lineHeight = 56;
  const bitmap = PImage.make(900, 40 + lines.length * lineHeight);
  const context = bitmap.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, bitmap.width, bitmap.height);
  if (lines.length > 0) {
    const require = createRequire(import.meta.url);
    const fontPath = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf', 'DejaVuSans.ttf');
    const font = PImage.registerFont(fontPath, 'DejaVu Sans');
    await font.load();
    context.fillStyle = '#000000';
    context.font = "36px 'DejaVu Sans'";
    lines.forEach((line, index) => context.fillText(line, 30, 60 + index * lineHeight));
  }
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  await PImage.encodePNGToStream(bitmap, stream);
  return Buffer.concat(chunks);
}

/** A PDF whose trailer asks for a password (the standard security handler). */
export async function encryptedPdf(): Promise<Uint8Array> {
  const bytes = await textPdf(['Protokoll 2024-05-14']);
  const source = Buffer.from(await PDFDocument.load(bytes).then((pdf) => pdf.save({ useObjectStreams: false }))).toString('latin1');
  const hex = (seed: string) => Buffer.from(seed.repeat(32).slice(0, 32), 'latin1').toString('hex');
  const encrypt = `/Encrypt << /Filter /Standard /V 1 /R 2 /O <${hex('owner')}> /U <${hex('user')}> /P -4 >> /ID [<${hex('id').slice(0, 32)}> <${hex('id').slice(0, 32)}>]`;
  const patched = source.replace(/trailer\s*<</, (match) => `${match}\n${encrypt}\n`);
  if (patched === source) throw new Error('no trailer to patch');
  return Buffer.from(patched, 'latin1');
}

export async function longPdf(pages: number): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  for (let page = 0; page < pages; page++) pdf.addPage([200, 200]);
  return pdf.save();
}
