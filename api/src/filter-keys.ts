/**
 * A key that names a filter's value exactly, for caches of what the value alone decides (a list's
 * conditions): JSON of plain objects, arrays, strings, finite numbers, booleans and null, dates
 * written as `{"$date": ISO}` (an input field's name cannot start with `$`, so no input object has
 * that shape). Undefined for any other value (a class instance, a non-finite number, a bigint):
 * then nothing is cached. `undefined` fields are left out, as absent ones are; builders of
 * conditions read both alike (`filter?.field`).
 */
export function filterKeyOf(value: unknown): string | undefined {
  let plain = true;
  const text = JSON.stringify(value, function (this: Record<string, unknown>, name: string, written: unknown) {
    // JSON.stringify has already applied toJSON (a Date's) to `written`; the holder has the original.
    const original = this[name];
    if (original instanceof Date) return Number.isNaN(original.getTime()) ? ((plain = false), null) : { $date: written };
    if (typeof original === 'number' && !Number.isFinite(original)) plain = false;
    else if (typeof original === 'bigint' || typeof original === 'function' || typeof original === 'symbol') return ((plain = false), null);
    else if (original !== null && typeof original === 'object') {
      const prototype = Object.getPrototypeOf(original);
      if (!Array.isArray(original) && prototype !== Object.prototype && prototype !== null) plain = false;
    }
    return written;
  });
  return plain ? text : undefined;
}
