// One way to tell a zod failure, for config files, settings and preferences alike: a line per issue
// naming its field as zod writes paths (`providers[0].baseUrl: Invalid URL`).
import { z } from 'zod';

/** Lines `field: problem`; fields under `prefix` when given (`tokens[0].hash`), `(top level)` for the value itself. */
export function issueLines(error: z.ZodError, prefix = ''): string[] {
  return error.issues.map((issue) => {
    const path = z.core.toDotPath(issue.path);
    const field = prefix && path ? `${prefix}${path.startsWith('[') ? '' : '.'}${path}` : prefix || path || '(top level)';
    return `${field}: ${issue.message}`;
  });
}

/** A value its schema refuses (a settings change, a preference); `issues` has a line per bad field. */
export class InvalidValueError extends Error {
  constructor(
    what: string,
    readonly issues: string[],
  ) {
    super(`invalid ${what}: ${issues.join('; ')}`);
    this.name = 'InvalidValueError';
  }
}

/** The parsed value, or an InvalidValueError naming `what` and each bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new InvalidValueError(what, issueLines(parsed.error));
  return parsed.data;
}
