import { tables } from '@naravard/db';
import { builder } from '../builder.ts';
import { entityNode, taggedEntityNode } from '../nodes.ts';
import { Assignment, AssignmentReport, type AssignmentReportRow, type AssignmentRow } from './refs.ts';

builder.node(Assignment, {
  ...taggedEntityNode<AssignmentRow>(tables.assignments),
  description: 'An assignment (uppdrag) given to a body or a person, followed by status reports.',
  fields: (t) => ({
    title: t.exposeString('title', { description: 'What is to be done.' }),
  }),
});

builder.node(AssignmentReport, {
  ...entityNode<AssignmentReportRow>(tables.assignmentReports),
  description: 'A dated report on how far an assignment has come (återrapportering, delårsrapport).',
  fields: (t) => ({
    text: t.exposeString('text', { description: 'What the report says.' }),
  }),
});
