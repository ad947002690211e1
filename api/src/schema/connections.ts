import { builder } from '../builder.ts';

/** Every connection has `totalCount`; it runs its count query only when a client asks for it. */
builder.globalConnectionField('totalCount', (t) =>
  t.int({
    description: 'How many records match, across all pages. Costs a count query: ask only when needed.',
    resolve: (connection) => (connection as unknown as { totalCount: () => Promise<number> }).totalCount(),
  }),
);
