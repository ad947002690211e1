/** Importers that bring data into the platform. Each importer lives in its own folder. */
export {};
