// A loopback stand-in for the two price sources catalog refresh reads: the public genai-prices
// data.json (served from an excerpt of that data in its own format) and an OpenRouter-style
// `GET /api/v1/models` (shaped after OpenRouter's documented response). Fault knob: status.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const recorded = (name: string) => readFileSync(new URL(`./recorded/${name}`, import.meta.url), 'utf8');

export interface PriceListFake {
  priceListUrl: string;
  /** Base URL for an openai-compatible provider whose /models carries prices. */
  openRouterBaseUrl: string;
  requests: Array<{ path: string; authorization?: string }>;
  fault(status: number | null): void;
  close(): Promise<void>;
}

export async function startPriceListFake(): Promise<PriceListFake> {
  const priceList = recorded('genai-prices-data.json');
  const models = recorded('openrouter-models.json');
  const requests: PriceListFake['requests'] = [];
  let fault: number | null = null;
  const server = createServer((req, res) => {
    requests.push({ path: req.url ?? '', authorization: req.headers.authorization });
    if (fault) {
      res.writeHead(fault, { 'content-type': 'text/plain' });
      return res.end('unavailable');
    }
    const body = req.url === '/prices/data.json' ? priceList : req.url === '/api/v1/models' ? models : null;
    if (!body) {
      res.writeHead(404, { 'content-type': 'application/json' });
      return res.end('{"error":{"message":"Not Found","code":404}}');
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    priceListUrl: `http://127.0.0.1:${port}/prices/data.json`,
    openRouterBaseUrl: `http://127.0.0.1:${port}/api/v1`,
    requests,
    fault: (s) => (fault = s),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
