import type { ReviewNote, SeedFile } from '@naravard/db';

/** What a draft is made from: the document's text and where it came from. */
export interface DraftSource {
  /** The normalised text; citations point into its lines. */
  text: string;
  /** Where the text came from: file, and how it was read (text, PDF text layer, OCR). */
  origin: string;
  /** The name of the document's text file in the draft (`document.file`). */
  fileName?: string;
}

export interface DraftOptions {
  /** SCB county code of the region the document belongs to. */
  region?: string | null;
  /** The issuing body's name, when the text does not say it plainly. */
  body?: string | null;
  /** Read tables of monthly counts as observations. */
  observations?: boolean;
  /** People and bodies already known, matched instead of duplicated. */
  known?: KnownEntities;
}

/** A person or body already in the database or the seed data, by key, name and aliases. */
export interface KnownEntity {
  key: string;
  name: string;
  aliases: string[];
  region: string | null;
}

export interface KnownEntities {
  people: KnownEntity[];
  organisations: KnownEntity[];
}

/** A draft: seed-file records for a person to review, and what the tool could not read. */
export interface Draft {
  seed: SeedFile;
  review: ReviewNote[];
  text: string;
}

export type Citation = { quote: string; lines: [number, number] };
