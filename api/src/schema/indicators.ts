import { tables } from '@naravard/db';
import { builder } from '../builder.ts';
import { entityNode, taggedEntityNode } from '../nodes.ts';
import { Indicator, type IndicatorRow, IndicatorTarget, type IndicatorTargetRow, Observation, type ObservationRow } from './refs.ts';

builder.node(Indicator, {
  ...taggedEntityNode<IndicatorRow>(tables.indicators),
  description: 'An indicator the reform is followed by.',
  fields: (t) => ({
    code: t.exposeString('code', { description: 'The stable code of the indicator.' }),
  }),
});

builder.node(IndicatorTarget, {
  ...entityNode<IndicatorTargetRow>(tables.indicatorTargets),
  description: 'A target for an indicator.',
  fields: (t) => ({
    value: t.expose('value', { type: 'Decimal', description: 'The target value.' }),
  }),
});

builder.node(Observation, {
  ...entityNode<ObservationRow>(tables.observations),
  description: 'One value of an indicator for a subject, a period and dimensions.',
  fields: (t) => ({
    value: t.expose('value', { type: 'Decimal', description: 'The value, exact.' }),
  }),
});
