import { builder } from './builder.ts';
import { ConflictError, type FieldIssue, ForbiddenError, NotFoundError, ValidationError } from './errors.ts';

/** The typed errors a write can answer with, instead of its result. Nothing was written when one comes back. */
export const WriteError = builder.interfaceRef<Error>('WriteError').implement({
  description: 'Why a write did not happen. Nothing was changed.',
  fields: (t) => ({
    message: t.exposeString('message', { description: 'What was wrong, in a sentence.' }),
  }),
});

const FieldIssueType = builder.objectRef<FieldIssue>('FieldIssue').implement({
  description: 'One problem with the input.',
  fields: (t) => ({
    path: t.stringList({
      description: 'Where: the path of the input field, e.g. ["input", "rows", "3", "period"].',
      resolve: (issue) => issue.path.map(String),
    }),
    message: t.exposeString('message', { description: 'What is wrong there.' }),
  }),
});

builder.objectType(ValidationError, {
  name: 'ValidationError',
  description: 'The input broke a rule (a format, a range, a reference that must exist).',
  interfaces: [WriteError],
  isTypeOf: (value) => value instanceof ValidationError,
  fields: (t) => ({
    issues: t.field({ type: [FieldIssueType], description: 'Every problem found, each with its path.', resolve: (error) => error.issues }),
  }),
});

builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  description: 'A record named by the input does not exist (or is deleted).',
  interfaces: [WriteError],
  isTypeOf: (value) => value instanceof NotFoundError,
  fields: (t) => ({
    type: t.exposeString('typeName', { description: 'The type of record looked for.' }),
    id: t.exposeID('id', { description: 'The ID (or slug, for a topic) that was not found.' }),
    path: t.stringList({ description: 'The input field that named it.', resolve: (error) => error.path.map(String) }),
  }),
});

builder.objectType(ConflictError, {
  name: 'ConflictError',
  description: 'The record changed since the client read it; the write was refused so no change is lost.',
  interfaces: [WriteError],
  isTypeOf: (value) => value instanceof ConflictError,
  fields: (t) => ({
    type: t.exposeString('typeName', { description: 'The type of the record.' }),
    id: t.exposeID('id', { description: 'The record (its UUID).' }),
    expectedVersion: t.exposeInt('expectedVersion', { description: 'The version the client sent.' }),
    currentVersion: t.exposeInt('currentVersion', { description: 'The version the record is at now.' }),
  }),
});

builder.objectType(ForbiddenError, {
  name: 'ForbiddenError',
  description: 'The API key lacks the scope this write needs, or no key was sent.',
  interfaces: [WriteError],
  isTypeOf: (value) => value instanceof ForbiddenError,
  fields: (t) => ({
    requiredScope: t.exposeString('requiredScope', { description: 'The scope needed: "write" or "admin".' }),
  }),
});

/** The error types of every write, for `errors: { types: WRITE_ERRORS }`. */
export const WRITE_ERRORS = [ValidationError, NotFoundError, ConflictError, ForbiddenError];
