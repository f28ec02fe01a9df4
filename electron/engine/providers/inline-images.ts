// Gemini and Ollama take images only inline: a request carrying image URLs has them fetched (once per
// request, before the first attempt needs them) through the transport's guarded fetcher and sent as base64.
import { asAbortSignal, type CancelSignal } from '../cancel';
import type { CanonicalRequest, Message, Part } from '../canonical/types';
import { AttemptError } from '../router/failures';
import type { Transport } from './transport';

/** Cap per request (each image has its own too): images are fetched one after another, so memory and sockets stay bounded. */
const MAX_REQUEST_IMAGE_BYTES = 50 * 1024 * 1024;

/**
 * All a client learns when any image fails, whatever the reason: no status, errno or address, so the
 * port cannot be used to probe the user's network (refused addresses are never connected to at all).
 */
export const IMAGE_NOT_FETCHED =
  'an image in the request could not be fetched (this provider needs images inline; only images on public http(s) addresses are fetched)';

const isUrlImage = (p: Part): p is Extract<Part, { type: 'image' }> & { url: string } =>
  p.type === 'image' && p.data === undefined && /^https?:/i.test(p.url ?? '');
const hasUrlImage = (req: CanonicalRequest): boolean => req.messages.some((m) => m.parts.some(isUrlImage));

const inlined = new WeakMap<CanonicalRequest, Promise<CanonicalRequest>>();

/**
 * The request with http(s) image URLs replaced by their bytes (the same request when there are
 * none); fetched once per request however many targets need it. A failed fetch is the caller's
 * problem (a 400), not the target's.
 */
export function inlineImages(req: CanonicalRequest, signal: CancelSignal, transport: Transport): Promise<CanonicalRequest> {
  if (!hasUrlImage(req)) return Promise.resolve(req);
  let pending = inlined.get(req);
  if (!pending) {
    pending = fetchAll(req, asAbortSignal(signal), transport).catch((error: unknown) => {
      if (signal.aborted) throw error;
      throw new AttemptError('bad-request', IMAGE_NOT_FETCHED, 400);
    });
    inlined.set(req, pending);
  }
  return pending;
}

async function fetchAll(req: CanonicalRequest, signal: AbortSignal, transport: Transport): Promise<CanonicalRequest> {
  let left = MAX_REQUEST_IMAGE_BYTES;
  const messages: Message[] = [];
  for (const m of req.messages) {
    const parts: Part[] = [];
    for (const p of m.parts) {
      if (!isUrlImage(p)) {
        parts.push(p);
        continue;
      }
      const image = await transport.fetchImage(p.url, signal, left);
      left -= image.bytes.length;
      parts.push({ type: 'image', data: image.bytes.toString('base64'), mediaType: image.mediaType });
    }
    messages.push({ ...m, parts });
  }
  return { ...req, messages };
}
