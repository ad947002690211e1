import { type ApiKeyScope, type Database, findApiKey } from '@naravard/db';
import { GraphQLError } from 'graphql';

/** Who is calling. Reads are public; writes need an API key with a scope. */
export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'apiKey'; apiKeyId: string; name: string; scopes: ApiKeyScope[] };

const ANONYMOUS: Principal = { kind: 'anonymous' };

function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

/**
 * The caller of a request, from its `Authorization: Bearer <key>` header. No header means an
 * anonymous reader. A header that is not a bearer key, or a key that is unknown or revoked, is
 * refused outright (401), so a client never mistakes a broken key for public access.
 */
export async function authenticate(
  db: Database,
  authorization: string | undefined,
  options: { noteUse?: boolean } = {},
): Promise<Principal> {
  if (authorization === undefined || authorization.trim() === '') return ANONYMOUS;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match) throw unauthenticated('The Authorization header must be "Bearer <API key>".');
  const key = await findApiKey(db, match[1]!, options);
  if (!key) throw unauthenticated('The API key is not valid: it is unknown, malformed or revoked.');
  return { kind: 'apiKey', apiKeyId: key.id, name: key.name, scopes: key.scopes };
}

/** Whether the principal holds a scope; `admin` includes `write`. */
export function hasScope(principal: Principal, scope: ApiKeyScope): boolean {
  if (principal.kind !== 'apiKey') return false;
  return principal.scopes.includes(scope) || (scope === 'write' && principal.scopes.includes('admin'));
}

/** The actor recorded in the change log. */
export function actorOf(principal: Principal): { name: string; apiKeyId: string | null } {
  return principal.kind === 'apiKey' ? { name: principal.name, apiKeyId: principal.apiKeyId } : { name: 'anonymous', apiKeyId: null };
}
