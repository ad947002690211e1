import { z } from 'zod';
import { rules } from '../../writes.ts';

/* Input rules shared by the writes of organisations and of people; their rules on stored records are in db/src/organisations.ts. */

/** Aliases: each a non-blank text, duplicates dropped; null in a patch clears them. */
export const aliasesRule = z
  .array(rules.text(300))
  .max(50, 'at most 50 aliases')
  .transform((aliases) => [...new Set(aliases)]);

