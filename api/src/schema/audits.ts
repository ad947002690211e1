import { tables } from '@naravard/db';
import { builder } from '../builder.ts';
import { entityNode, taggedEntityNode } from '../nodes.ts';
import {
  Audit,
  AuditResponse,
  type AuditResponseRow,
  type AuditRow,
  Recommendation,
  RecommendationResponse,
  type RecommendationResponseRow,
  type RecommendationRow,
} from './refs.ts';

builder.node(Audit, {
  ...taggedEntityNode<AuditRow>(tables.audits),
  description: 'An audit (granskning) by the auditors, with its report, recommendations and the answers to them.',
  fields: (t) => ({
    title: t.exposeString('title', { description: 'The title of the audit report.' }),
  }),
});

builder.node(Recommendation, {
  ...taggedEntityNode<RecommendationRow>(tables.recommendations),
  description: 'One numbered recommendation of an audit.',
  fields: (t) => ({
    text: t.exposeString('text', { description: 'The recommendation.' }),
  }),
});

builder.node(AuditResponse, {
  ...entityNode<AuditResponseRow>(tables.auditResponses),
  description: "The audited body's answer to an audit as a whole.",
  fields: (t) => ({
    summary: t.exposeString('summary', { nullable: true, description: 'The answer in brief.' }),
  }),
});

builder.node(RecommendationResponse, {
  ...entityNode<RecommendationResponseRow>(tables.recommendationResponses),
  description: 'The answer to one recommendation, in four parts.',
  fields: (t) => ({
    actionsTaken: t.exposeString('actionsTaken', { nullable: true, description: 'Actions already taken.' }),
  }),
});
