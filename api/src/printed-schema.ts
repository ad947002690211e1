import { fileURLToPath } from 'node:url';
import { printSchema } from 'graphql';
import { schema } from './schema/index.ts';

export const SCHEMA_FILE = fileURLToPath(new URL('../schema.graphql', import.meta.url));

/** The schema in SDL, as committed in api/schema.graphql. */
export const printedSchema = () => `${printSchema(schema)}\n`;
