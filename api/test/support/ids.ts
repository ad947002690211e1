import { idFor } from '@naravard/db';

/** The Relay global ID of a record, as the API gives it out: base64 of "Type:uuid". */
export const globalId = (type: string, uuid: string) => Buffer.from(`${type}:${uuid}`).toString('base64');

/** The global ID of a seed record, by its seed key ("org:07:styrgrupp-nara-vard"). */
export const gid = (type: string, key: string) => globalId(type, idFor(key));

/** The UUID inside a global ID. */
export const uuidOf = (id: string) => Buffer.from(id, 'base64').toString('utf8').split(':')[1];

/** A well-formed UUID that no record has. */
export const MISSING = '00000000-0000-4000-8000-000000000000';

/** A well-formed global ID of the type that names no record. */
export const missingId = (type: string) => globalId(type, MISSING);
