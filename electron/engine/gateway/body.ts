// Reads a request body with a size cap, an idle deadline and a total deadline, so one client can
// neither make the port buffer without limit nor hold a request open by trickling (or stalling) its
// body; and refuses JSON nested deeper than the engine can walk (json-depth.ts).
import { watchBody, watchPeriodMs } from './body-watch';
import { assertJsonDepth, JsonDepthError } from './json-depth';

export class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface BodyLimits {
  maxBytes: number;
  /** Longest pause allowed between two body chunks before the request is answered 408. */
  idleMs: number;
  /** Longest the whole body may take to arrive (a body trickled a byte at a time never pauses long). */
  totalMs?: number;
}

/** A UTF-8 byte order mark some Windows tools put before JSON: not an error, just skipped. */
const BOM = 0xfeff;

function parseJson(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === BOM ? text.slice(1) : text);
  } catch (error) {
    throw new BodyError(400, `the request body is not valid JSON: ${(error as Error).message}`);
  }
  try {
    assertJsonDepth(value);
  } catch (error) {
    if (error instanceof JsonDepthError) throw new BodyError(400, error.message);
    throw error;
  }
  return value;
}

export function readJsonBody(req: import('node:http').IncomingMessage, limits: BodyLimits | number): Promise<unknown> {
  const { maxBytes, idleMs, totalMs = 30_000 } = typeof limits === 'number' ? { maxBytes: limits, idleMs: 30_000 } : limits;
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > maxBytes) {
      // Answer at once, then stop reading: the socket closes after the reply.
      req.resume();
      return reject(new BodyError(413, `request body is larger than ${maxBytes} bytes`));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const started = performance.now();
    let lastChunk = started;
    const done = (fn: () => void) => {
      if (settled) return;
      settled = true;
      unwatch();
      fn();
    };
    const refuse = (error: BodyError) =>
      done(() => {
        reject(error);
        req.pause();
      });
    // Both deadlines are checked by the shared watch (body-watch.ts): most bodies arrive in one chunk, long before either.
    const unwatch = watchBody(
      (now) => {
        if (now - started >= totalMs) refuse(new BodyError(408, `the request body took longer than ${totalMs} ms to arrive`));
        else if (now - lastChunk >= idleMs) refuse(new BodyError(408, `the request body stalled: nothing arrived for ${idleMs} ms`));
        return settled;
      },
      watchPeriodMs(Math.min(idleMs, totalMs)),
    );
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > maxBytes) return refuse(new BodyError(413, `request body is larger than ${maxBytes} bytes`));
      lastChunk = performance.now();
      chunks.push(chunk);
    });
    req.on('error', (error) => done(() => reject(error)));
    req.on('end', () =>
      done(() => {
        if (size === 0) return resolve(undefined);
        try {
          resolve(parseJson(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, size).toString('utf8')));
        } catch (error) {
          reject(error);
        }
      }),
    );
  });
}
