// Refuses request bodies nested deeper than the engine can safely walk: translation, JSON.stringify
// and the ledger all recurse, so absurd nesting must be stopped where the body is read, not deep inside.

/** Deepest nesting a request body may have; real tool schemas and message parts stay far below it. */
export const MAX_JSON_DEPTH = 128;

/** Thrown (and answered 400) when a body is nested too deeply; `path` names where, as `a.0.b`. */
export class JsonDepthError extends Error {
  constructor(
    readonly path: string,
    readonly limit: number,
  ) {
    super(`the request body is nested deeper than ${limit} levels at \`${path || '(root)'}\``);
    this.name = 'JsonDepthError';
  }
}

/** Unwinds with the key that led to the too-deep value, so the path costs nothing unless it is needed. */
class TooDeep {
  readonly keys: string[] = [];
}

function walk(value: unknown, depth: number, limit: number): void {
  if (value === null || typeof value !== 'object') return;
  if (depth >= limit) throw new TooDeep();
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item === null || typeof item !== 'object') continue;
      try {
        walk(item, depth + 1, limit);
      } catch (e) {
        if (e instanceof TooDeep) e.keys.push(String(i));
        throw e;
      }
    }
    return;
  }
  for (const key in value) {
    const item = (value as Record<string, unknown>)[key];
    if (item === null || typeof item !== 'object') continue;
    try {
      walk(item, depth + 1, limit);
    } catch (e) {
      if (e instanceof TooDeep) e.keys.push(key);
      throw e;
    }
  }
}

/** Throws JsonDepthError when `value` (parsed JSON) nests more than `limit` objects or arrays. */
export function assertJsonDepth(value: unknown, limit = MAX_JSON_DEPTH): void {
  try {
    walk(value, 0, limit);
  } catch (e) {
    if (e instanceof TooDeep) throw new JsonDepthError(e.keys.reverse().join('.'), limit);
    throw e;
  }
}
