import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Reads images of pages with Tesseract and its Swedish model from npm
 * (`@tesseract.js-data/swe`), entirely offline: the model is read from node_modules and nothing
 * is cached or fetched.
 */
export async function recogniseImages(images: Buffer[]): Promise<string[]> {
  const { createWorker, OEM } = await import('tesseract.js');
  const require = createRequire(import.meta.url);
  const langPath = join(dirname(require.resolve('@tesseract.js-data/swe/package.json')), '4.0.0_best_int');
  const worker = await createWorker('swe', OEM.LSTM_ONLY, { langPath, gzip: true, cacheMethod: 'none' });
  try {
    const texts: string[] = [];
    for (const image of images) {
      const { data } = await worker.recognize(image);
      texts.push(data.text);
    }
    return texts;
  } finally {
    await worker.terminate();
  }
}
