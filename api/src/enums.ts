import { builder } from './builder.ts';

/**
 * A GraphQL enum over a database enum: GraphQL names in UPPER_CASE ("NOT_STARTED"), values as
 * the database stores them ("not_started"), each with its description.
 */
export function databaseEnum<const Value extends string>(
  name: string,
  description: string,
  values: Record<Value, string>,
) {
  return builder.enumType(name, {
    description,
    values: Object.fromEntries(
      Object.entries<string>(values).map(([value, valueDescription]) => [
        value.toUpperCase(),
        { value: value as Value, description: valueDescription },
      ]),
    ) as Record<string, { value: Value; description: string }>,
  });
}
