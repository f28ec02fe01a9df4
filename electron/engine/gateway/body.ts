// Reads a request body with a size cap and an idle deadline, so one client can neither make the port
// buffer without limit nor hold a request open by trickling (or stalling) its body.

export class BodyError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export interface BodyLimits {
  maxBytes: number;
  /** Longest pause allowed between two body chunks before the request is answered 408. */
  idleMs: number;
}

export function readJsonBody(req: import('node:http').IncomingMessage, limits: BodyLimits | number): Promise<unknown> {
  const { maxBytes, idleMs } = typeof limits === 'number' ? { maxBytes: limits, idleMs: 30_000 } : limits;
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
    const done = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const stalled = () =>
      done(() => {
        reject(new BodyError(408, `the request body stalled: nothing arrived for ${idleMs} ms`));
        req.pause();
      });
    const timer = setTimeout(stalled, idleMs);
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > maxBytes) {
        done(() => {
          reject(new BodyError(413, `request body is larger than ${maxBytes} bytes`));
          req.pause();
        });
        return;
      }
      timer.refresh();
      chunks.push(chunk);
    });
    req.on('error', (error) => done(() => reject(error)));
    req.on('end', () =>
      done(() => {
        if (size === 0) return resolve(undefined);
        try {
          resolve(JSON.parse(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, size).toString('utf8')));
        } catch (error) {
          reject(new BodyError(400, `the request body is not valid JSON: ${(error as Error).message}`));
        }
      }),
    );
  });
}
