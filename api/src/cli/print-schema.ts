import { writeFileSync } from 'node:fs';
import { printedSchema, SCHEMA_FILE } from '../printed-schema.ts';

/** Writes api/schema.graphql, the committed contract the SDK is generated from. */
writeFileSync(SCHEMA_FILE, printedSchema());
console.log(`wrote ${SCHEMA_FILE}`);
