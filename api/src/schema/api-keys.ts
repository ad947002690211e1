import { type ApiKeyRow, createApiKey, publicApiKey, revokeApiKey, tables } from '@naravard/db';
import { desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { actorOf } from '../auth.ts';
import { builder } from '../builder.ts';
import { databaseEnum } from '../enums.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import { parseInput, rules } from '../writes.ts';
import { WRITE_ERRORS } from '../write-error-types.ts';

const ApiKeyScope = databaseEnum('ApiKeyScope', 'What an API key may do.', {
  write: 'Create, change and delete records.',
  admin: 'Everything `write` may, plus managing API keys and restoring deleted records.',
});

type VisibleApiKey = ReturnType<typeof publicApiKey>;

const ApiKey = builder.objectRef<VisibleApiKey>('ApiKey').implement({
  description: 'An API key for writes. The secret itself is shown once, when the key is created; only its hash is kept.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The key’s ID (for revoking it).' }),
    name: t.exposeString('name', { description: 'Who or what uses the key; recorded as the actor in the change log.' }),
    prefix: t.exposeString('prefix', { description: 'The first characters of the key, to tell keys apart.' }),
    scopes: t.field({ type: [ApiKeyScope], description: 'What the key may do.', resolve: (key) => key.scopes }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the key was created.' }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true, description: 'When the key was last used (to the minute).' }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true, description: 'When the key was revoked; null while it works.' }),
  }),
});

const CreatedApiKey = builder.objectRef<{ key: string; apiKey: VisibleApiKey }>('CreatedApiKey').implement({
  description: 'A new API key. `key` is shown only this once: store it safely.',
  fields: (t) => ({
    key: t.exposeString('key', { description: 'The secret, to send as `Authorization: Bearer <key>`. Not retrievable later.' }),
    apiKey: t.field({ type: ApiKey, description: 'The key’s record.', resolve: (created) => created.apiKey }),
  }),
});

builder.queryFields((t) => ({
  apiKeys: t.field({
    type: [ApiKey],
    description: 'Every API key, newest first, revoked ones included. Needs the `admin` scope.',
    authScopes: { admin: true },
    resolve: async (_root, _args, context) => {
      const rows = await context.db.select().from(tables.apiKeys).orderBy(desc(tables.apiKeys.createdAt));
      return rows.map(publicApiKey);
    },
  }),
}));

const createApiKeyRules = z.object({
  name: rules.text(100),
  scopes: z.array(z.enum(tables.apiKeyScope.enumValues)).min(1, 'a key needs at least one scope'),
});

builder.mutationFields((t) => ({
  createApiKey: t.field({
    type: CreatedApiKey,
    description: 'Creates an API key and shows its secret once. Needs the `admin` scope.',
    authScopes: { admin: true },
    errors: { types: WRITE_ERRORS },
    args: {
      name: t.arg.string({ required: true, description: 'A unique name: who or what will use the key.' }),
      scopes: t.arg({ type: [ApiKeyScope], required: true, description: 'What the key may do.' }),
    },
    resolve: async (_root, args, context) => {
      const input = parseInput(createApiKeyRules, args, []);
      const [existing] = await context.db.select({ id: tables.apiKeys.id }).from(tables.apiKeys).where(eq(tables.apiKeys.name, input.name));
      if (existing) throw new ValidationError([{ path: ['name'], message: `a key named "${input.name}" already exists` }]);
      const { key, record } = await createApiKey(context.db, input, actorOf(context.principal));
      return { key, apiKey: publicApiKey(record) };
    },
  }),
  revokeApiKey: t.field({
    type: ApiKey,
    description: 'Revokes an API key: it is refused from then on. Needs the `admin` scope.',
    authScopes: { admin: true },
    errors: { types: WRITE_ERRORS },
    args: { id: t.arg.id({ required: true, description: 'The key (its `id`).' }) },
    resolve: async (_root, args, context) => {
      const id = parseInput(z.uuid('must be an API key ID'), args.id, ['id']);
      const revoked: ApiKeyRow | null = await revokeApiKey(context.db, id, actorOf(context.principal));
      if (!revoked) throw new NotFoundError('ApiKey', id, ['id']);
      return publicApiKey(revoked);
    },
  }),
}));
