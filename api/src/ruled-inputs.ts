import type { InputObjectRef, InputRef } from '@pothos/core';
import { z } from 'zod';
import { builder } from './builder.ts';

/**
 * Write inputs declared once: each field names its GraphQL type, its description and its rule
 * (zod), and both the GraphQL input type and the rules a resolver parses the input with
 * (`parseInput(Input.rules, args.input)`) are made from that one declaration, so they cannot
 * drift apart. A field is required in GraphQL exactly when its rule refuses a missing value.
 *
 * Why not @pothos/plugin-validation: it validates arguments in argument mappers, which run before
 * the resolver and so before scope-auth; a caller without the `write` scope would be told what is
 * wrong with the input before being told they may not write. The rules run in the resolver, after
 * authorisation, and their issues become a typed ValidationError with the full path.
 */

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

/** A GraphQL input type: a scalar's name, an enum or input type, or a list of one. */
type GraphQLInputType = 'String' | 'ID' | 'Int' | 'Float' | 'Boolean' | 'Date' | 'DateTime' | 'Period' | 'Decimal' | InputRef<unknown> | readonly [GraphQLInputType];

export interface RuledField<Rule extends z.ZodType = z.ZodType> {
  type: GraphQLInputType;
  description: string;
  rule: Rule;
}

type Rules<Fields extends Record<string, RuledField>> = { [Key in keyof Fields]: Fields[Key]['rule'] };

/** A write input: its GraphQL type (`ref`) and the rules that parse it (`rules`). */
export interface RuledInput<Output> {
  ref: InputObjectRef<Types, Record<string, unknown>>;
  rules: z.ZodType<Output>;
}

interface RuledInputOptions<Fields extends Record<string, RuledField>> {
  description: string;
  fields: Fields;
  /** Rules across fields, run when every field passed its own rule; issues name their field in `path`. */
  check?: (value: z.output<z.ZodObject<Rules<Fields>>>, context: z.RefinementCtx<z.output<z.ZodObject<Rules<Fields>>>>) => void;
}

/** An input whose fields are required as their rules say. */
export function ruledInput<const Fields extends Record<string, RuledField>>(
  name: string,
  options: RuledInputOptions<Fields>,
): RuledInput<z.output<z.ZodObject<Rules<Fields>>>> {
  const object = z.object(rulesOf(options.fields));
  return {
    ref: inputType(name, options.description, options.fields, false),
    rules: options.check ? object.superRefine(options.check) : object,
  };
}

/**
 * A patch of a record: every field may be left out and is then left as it is; null clears a field
 * whose rule takes null, and a key the patch does not know is refused.
 */
export function ruledPatch<const Fields extends Record<string, RuledField>>(
  name: string,
  options: {
    description: string;
    fields: Fields;
    /** Rules across the fields given, run when each passed its own rule. */
    check?: (patch: Partial<z.output<z.ZodObject<Rules<Fields>>>>, context: z.RefinementCtx<Partial<z.output<z.ZodObject<Rules<Fields>>>>>) => void;
  },
): RuledInput<Partial<z.output<z.ZodObject<Rules<Fields>>>>> {
  const object = z.object(rulesOf(options.fields)).partial().strict() as unknown as z.ZodType<Partial<z.output<z.ZodObject<Rules<Fields>>>>>;
  return {
    ref: inputType(name, options.description, options.fields, true),
    rules: options.check ? object.superRefine(options.check) : object,
  };
}

function rulesOf<Fields extends Record<string, RuledField>>(fields: Fields): Rules<Fields> {
  return Object.fromEntries(Object.entries(fields).map(([key, field]) => [key, field.rule])) as Rules<Fields>;
}

function inputType(name: string, description: string, fields: Record<string, RuledField>, patch: boolean) {
  return builder.inputType(name, {
    description,
    fields: (t) =>
      Object.fromEntries(
        Object.entries(fields).map(([key, field]) => [
          key,
          t.field({ type: graphqlType(field.type) as never, required: !patch && !field.rule.isOptional(), description: field.description }),
        ]),
      ),
  }) as InputObjectRef<Types, Record<string, unknown>>;
}

/** Pothos takes a list type as a mutable one-element array. */
function graphqlType(type: GraphQLInputType): unknown {
  return Array.isArray(type) ? [graphqlType(type[0])] : type;
}
