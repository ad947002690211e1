import { tables } from '@naravard/db';
import { builder } from '../builder.ts';
import { taggedEntityNode } from '../nodes.ts';
import { Decision, type DecisionRow } from './refs.ts';

builder.node(Decision, {
  ...taggedEntityNode<DecisionRow>(tables.decisions),
  description: 'A decision (beslut), a decision on direction (inriktningsbeslut), a delegation or an approval.',
  fields: (t) => ({
    text: t.exposeString('text', { description: 'What was decided, as the records word it.' }),
  }),
});
