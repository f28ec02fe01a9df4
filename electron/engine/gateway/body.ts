// Reads a request body with a size cap, so one client cannot make the port buffer without limit.

export class BodyError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export function readJsonBody(req: import('node:http').IncomingMessage, limitBytes: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > limitBytes) return reject(new BodyError(413, `request body is larger than ${limitBytes} bytes`));
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        reject(new BodyError(413, `request body is larger than ${limitBytes} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => {
      if (size === 0) return resolve(undefined);
      try {
        resolve(JSON.parse(Buffer.concat(chunks, size).toString('utf8')));
      } catch (error) {
        reject(new BodyError(400, `the request body is not valid JSON: ${(error as Error).message}`));
      }
    });
  });
}
