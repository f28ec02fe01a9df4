// Raw HTTP requests to the port for the hostile-input tests: node:http with every header ours to set
// (Host, Origin, auth), the answer's status, headers, text and parsed JSON body (undefined when not JSON).
import { request, type IncomingHttpHeaders } from 'node:http';

export interface RawReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: any;
  text: string;
}

export interface RawRequest {
  /** Defaults to POST. */
  method?: string;
  /** Sent as given, after `content-type: application/json`. */
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export function sendRaw(port: number, path: string, opts: RawRequest = {}): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: opts.method ?? 'POST', headers: { 'content-type': 'application/json', ...opts.headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => {
          let body: any;
          try {
            body = JSON.parse(text);
          } catch {
            body = undefined;
          }
          resolve({ status: res.statusCode!, headers: res.headers, body, text });
        });
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}
