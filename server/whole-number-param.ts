/**
 * The rule for whole numbers in query strings (`GET /api/search?k=`, `GET /api/chats?offset=`,
 * the review filters), shared by the HTTP routes and the review filters' schema.
 */
import { z } from 'zod';

/**
 * A whole-number query parameter from `min` to `max` (`Infinity`: no upper bound), written as
 * plain decimal digits (`0x5`, `1e1`, ` 5` and `5.0` are refused), with messages that name it and
 * its range: `limit=abc` gets "limit must be a whole number from 1 to 100", not zod's "expected
 * number, received NaN"; a number past what JavaScript counts exactly says that it is too large.
 * `message` replaces the first message (not the one for too large).
 */
export function wholeNumberParam(name: string, min: number, max = Infinity, message?: string) {
  const range = max === Infinity ? `${min} or more` : `from ${min} to ${max}`;
  const rangeMessage = message ?? `${name} must be a whole number ${range}`;
  return z
    .string({ error: rangeMessage })
    .regex(/^-?[0-9]+$/, rangeMessage)
    .transform((value, ctx) => {
      const n = Number(value);
      if (!Number.isSafeInteger(n) && n > 0 && max === Infinity) {
        ctx.addIssue({ code: 'custom', message: `${name} is too large: it must be at most ${Number.MAX_SAFE_INTEGER}` });
        return z.NEVER;
      }
      if (!(n >= min && n <= max)) {
        ctx.addIssue({ code: 'custom', message: rangeMessage });
        return z.NEVER;
      }
      return n;
    });
}
