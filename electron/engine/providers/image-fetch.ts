// Fetches an image a client named by URL without letting that URL reach anything but the public
// internet: every address the host resolves to must pass the public-address rule, the socket opens to
// the very address that was checked (no second resolution, so no DNS-rebinding gap), redirects are
// followed by hand and checked the same way, and size, time and content type are capped.
import { lookup as dnsLookup } from 'node:dns/promises';
import { connect as netConnect, isIP, type Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import { Client, type buildConnector } from 'undici';
import { isPublicAddress } from './public-address';

export type ImageFetchFailure = 'url' | 'resolve' | 'address' | 'redirect' | 'status' | 'content-type' | 'size' | 'network' | 'timeout';

/** Why an image was not fetched. The detail is for tests and the engine's own logs, never for the client. */
export class ImageFetchError extends Error {
  constructor(
    readonly reason: ImageFetchFailure,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(detail, options);
    this.name = 'ImageFetchError';
  }
}

export interface ImageFetchOptions {
  /** A host name's addresses. Default: the system resolver (every address it returns). */
  lookup?: (hostname: string) => Promise<string[]>;
  /**
   * Opens the TCP connection to an address that already passed the rule. Default: net.connect to it.
   * Tests answer here from a loopback fake, so a name their `lookup` maps to a public address is
   * fetched without traffic leaving the machine; there is deliberately no way to skip the rule.
   */
  openSocket?: (address: string, port: number) => Socket;
  maxBytes?: number;
  timeoutMs?: number;
  maxRedirects?: number;
}

export interface FetchedImage {
  bytes: Buffer;
  mediaType: string;
}

/** One image's cap when the options name none. */
export const DEFAULT_MAX_IMAGE_BYTES = 20 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_REDIRECTS = 3;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const IMAGE_TYPE = /^image\/[a-z0-9][a-z0-9.+-]*$/;

const systemLookup = async (hostname: string): Promise<string[]> =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => a.address);
const systemSocket = (address: string, port: number): Socket => netConnect({ host: address, port });

/** The bytes and media type of the image at `url`, or an ImageFetchError (the caller's abort passes through). */
export async function fetchPublicImage(url: string, signal: AbortSignal, options: ImageFetchOptions = {}): Promise<FetchedImage> {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const both = AbortSignal.any([signal, timeout]);
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  try {
    let current = parseImageUrl(url);
    for (let redirects = 0; ; redirects++) {
      const address = await untilAborted(checkedAddress(current, options.lookup ?? systemLookup), both);
      const answer = await getOnce(current, address, both, options);
      if ('bytes' in answer) return answer;
      if (redirects >= maxRedirects) throw new ImageFetchError('redirect', `more than ${maxRedirects} redirects`);
      current = parseImageUrl(answer.location, current);
    }
  } catch (error) {
    if (signal.aborted) throw error;
    if (error instanceof ImageFetchError) throw error;
    if (timeout.aborted)
      throw new ImageFetchError('timeout', `no image within ${options.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms`, { cause: error });
    throw new ImageFetchError('network', (error as Error).message, { cause: error });
  }
}

function parseImageUrl(text: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(text, base);
  } catch (error) {
    throw new ImageFetchError('url', 'not a URL', { cause: error });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ImageFetchError('url', `${url.protocol} URLs are not fetched`);
  return url;
}

const bareHost = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * The address to connect to: the literal itself, or the first the name resolves to. URL parsing has
 * already turned decimal, octal and hex IPv4 forms (http://2130706433/) into dotted quads. Every
 * resolved address must pass, so a name cannot mix a public address with a private one.
 */
async function checkedAddress(url: URL, lookup: (hostname: string) => Promise<string[]>): Promise<string> {
  const host = bareHost(url);
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = await lookup(host);
    } catch (error) {
      throw new ImageFetchError('resolve', `${host} did not resolve`, { cause: error });
    }
  }
  if (addresses.length === 0) throw new ImageFetchError('resolve', `${host} has no addresses`);
  const refused = addresses.find((a) => !isPublicAddress(a));
  if (refused !== undefined) throw new ImageFetchError('address', `${host} is ${refused}, not a public address`);
  return addresses[0]!;
}

/** One GET over a connection pinned to `address`: the image, or where a redirect points. */
async function getOnce(
  url: URL,
  address: string,
  signal: AbortSignal,
  options: ImageFetchOptions,
): Promise<FetchedImage | { location: string }> {
  const client = new Client(url.origin, { connect: pinnedConnector(url, address, options.openSocket ?? systemSocket, signal) });
  try {
    const res = await client.request({ path: `${url.pathname}${url.search}`, method: 'GET', headers: { accept: 'image/*' }, signal });
    const header = (name: string) => [res.headers[name]].flat()[0];
    if (res.statusCode !== 200) {
      discard(res.body);
      const location = header('location');
      if (REDIRECT_STATUSES.has(res.statusCode) && location) return { location };
      throw new ImageFetchError('status', `answered ${res.statusCode}`);
    }
    const mediaType = String(header('content-type') ?? '')
      .split(';')[0]!
      .trim()
      .toLowerCase();
    if (!IMAGE_TYPE.test(mediaType)) {
      discard(res.body);
      throw new ImageFetchError('content-type', `content type "${mediaType}" is not an image`);
    }
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_IMAGE_BYTES;
    if (Number(header('content-length')) > maxBytes) {
      discard(res.body);
      throw new ImageFetchError('size', `larger than ${maxBytes} bytes`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) {
        discard(res.body);
        throw new ImageFetchError('size', `larger than ${maxBytes} bytes`);
      }
      chunks.push(chunk as Buffer);
    }
    return { bytes: Buffer.concat(chunks, size), mediaType };
  } finally {
    void client.destroy().catch(() => {});
  }
}

/** Drops an answer's body unread (undici reports a destroyed body as an abort: nobody needs to hear it). */
function discard(body: Readable): void {
  body.on('error', () => {});
  body.destroy();
}

/** undici's connect hook, opening the socket to the checked address (TLS still verifies the URL's host name). */
function pinnedConnector(
  url: URL,
  address: string,
  openSocket: (address: string, port: number) => Socket,
  signal: AbortSignal,
): buildConnector.connector {
  const secure = url.protocol === 'https:';
  const port = Number(url.port) || (secure ? 443 : 80);
  const host = bareHost(url);
  return (_options, callback) => {
    let settled = false;
    let socket: Socket | undefined;
    const onAbort = () => socket?.destroy(signal.reason as Error);
    const settle = (error: Error | null) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      if (error) callback(error, null);
      else callback(null, socket!);
    };
    try {
      const tcp = openSocket(address, port);
      // SNI cannot carry an IP literal; the certificate is then checked against the IP itself.
      socket = secure ? tlsConnect({ socket: tcp, host, servername: isIP(host) ? undefined : host, ALPNProtocols: ['http/1.1'] }) : tcp;
    } catch (error) {
      settle(error as Error);
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('error', settle);
    if (!secure && !socket.connecting) settle(null);
    else socket.once(secure ? 'secureConnect' : 'connect', () => settle(null));
  };
}

/** Resolution cannot be cancelled; an abort or timeout still ends the wait for it. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
