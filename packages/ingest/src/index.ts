/** Importers that bring data into the platform. Each importer lives in its own folder. */
export { CsvImportError, type CsvImportOptions, type CsvImportSummary, importCsv, RESERVED_COLUMNS } from './csv/import.ts';
export { type Progress, progressFor, silentProgress } from './progress.ts';
