/** Importers that bring data into the platform. Each importer lives in its own folder. */
export { CsvImportError, type CsvImportOptions, type CsvImportSummary, importCsv, RESERVED_COLUMNS } from './csv/import.ts';
export { type Progress, progressFor, silentProgress } from './progress.ts';
export { KOLADA_BASE_URL, KoladaClient, type KoladaClientOptions, KoladaError } from './kolada/client.ts';
export { importKolada, type KoladaImportOptions, type KoladaImportSummary, KoladaUsageError } from './kolada/import.ts';
export { KoladaUnitError, type KoladaOu, unitKind } from './kolada/units.ts';
export { ImportInterrupted } from './interrupted.ts';
