// Gemini and Ollama take images only inline: a request carrying image URLs has them fetched (size-
// and time-capped, once per request, before the first attempt needs them) and sent as base64.
import type { CanonicalRequest, Part } from '../canonical/types';
import { AttemptError } from '../router/failures';
import { sendUpstream } from './transport';

const MAX_IMAGE_BYTES = 20 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 15_000;

async function fetchImage(url: string, signal: AbortSignal): Promise<{ data: string; mediaType: string }> {
  const res = await sendUpstream({ url, method: 'GET', headers: { accept: 'image/*' } }, AbortSignal.any([signal, AbortSignal.timeout(FETCH_TIMEOUT_MS)]));
  if (res.status !== 200) {
    await res.body.dump();
    throw new Error(`fetching image ${url} answered ${res.status}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body) {
    size += (chunk as Buffer).length;
    if (size > MAX_IMAGE_BYTES) {
      res.body.destroy();
      throw new Error(`image ${url} is larger than ${MAX_IMAGE_BYTES} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  const type = String(res.headers['content-type'] ?? 'image/png').split(';')[0]!.trim();
  return { data: Buffer.concat(chunks, size).toString('base64'), mediaType: type.startsWith('image/') ? type : 'image/png' };
}

const hasUrlImage = (req: CanonicalRequest): boolean => req.messages.some((m) => m.parts.some((p) => p.type === 'image' && p.data === undefined && /^https?:/i.test(p.url ?? '')));

const inlined = new WeakMap<CanonicalRequest, Promise<CanonicalRequest>>();

/**
 * The request with http(s) image URLs replaced by their bytes (the same request when there are
 * none); fetched once per request however many targets need it. A failed fetch is the caller's
 * problem (a 400 naming the URL), not the target's.
 */
export function inlineImages(req: CanonicalRequest, signal: AbortSignal): Promise<CanonicalRequest> {
  if (!hasUrlImage(req)) return Promise.resolve(req);
  let pending = inlined.get(req);
  if (!pending) {
    pending = fetchAll(req, signal).catch((error: unknown) => {
      if (signal.aborted) throw error;
      throw new AttemptError('bad-request', `could not fetch an image for a provider that needs it inline: ${(error as Error).message}`, 400);
    });
    inlined.set(req, pending);
  }
  return pending;
}

async function fetchAll(req: CanonicalRequest, signal: AbortSignal): Promise<CanonicalRequest> {
  const messages = await Promise.all(req.messages.map(async (m) => ({
    role: m.role,
    parts: await Promise.all(m.parts.map(async (p): Promise<Part> => (p.type === 'image' && p.data === undefined && /^https?:/i.test(p.url ?? '') ? { type: 'image', ...(await fetchImage(p.url!, signal)) } : p))),
  })));
  return { ...req, messages };
}
