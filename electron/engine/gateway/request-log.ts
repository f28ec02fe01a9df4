// The port's recent requests for the UI, kept in memory (a bounded ring, request-ring.ts): what the
// ledger row says, plus requests refused before routing. Bodies only while capture is on, and then
// redacted of secrets.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { PortRequestLogEntry } from '../../../shared/types';
import type { Ledger, RequestRecord } from '../ledger/types';
import { RequestRing } from './request-ring';

const CAPACITY = 500;
const MAX_CAPTURED_CHARS = 64 * 1024;
const SECRET_FIELD = /(api[-_]?key|authorization|token|secret|password|credential)/i;
// Common key shapes: OpenAI/Anthropic/OpenRouter `sk-…`, our `sbt_…`, Google `AIza…`, AWS ids, bearer headers.
const SECRET_VALUE =
  /\b(sk-[A-Za-z0-9_-]{8,}|sbt_[A-Za-z0-9_-]{8,}|AIza[0-9A-Za-z_-]{20,}|AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{20,}|Bearer\s+[A-Za-z0-9._~+/-]{8,}=*)/g;

function redactValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return value.replace(SECRET_VALUE, '[redacted]');
  if (depth > 40 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    out[k] = SECRET_FIELD.test(k) && k !== 'max_tokens' && !k.endsWith('_tokens') ? '[redacted]' : redactValue(v, depth + 1);
  return out;
}

/** A request body as JSON text with every key-like field and value replaced by `[redacted]`. */
export function redactBody(body: unknown): string {
  const text = JSON.stringify(redactValue(body, 0)) ?? '';
  return text.length > MAX_CAPTURED_CHARS ? `${text.slice(0, MAX_CAPTURED_CHARS)}…(truncated)` : text;
}

export class RequestLog {
  private readonly ring = new RequestRing(CAPACITY);
  /** Set while capture is on: the current request's body, found again when its ledger row is written. */
  readonly capture = new AsyncLocalStorage<unknown>();
  captureBodies = false;
  private readonly listeners: Array<(entry: PortRequestLogEntry) => void> = [];

  /** Calls `listener` with every entry as it is added (`serve --log`); returns the unsubscribe. */
  subscribe(listener: (entry: PortRequestLogEntry) => void): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i !== -1) this.listeners.splice(i, 1);
    };
  }

  add(entry: PortRequestLogEntry): void {
    for (const listener of this.listeners) listener(entry);
    this.ring.push(entry, entry.requestBody);
  }

  addRow(row: RequestRecord): void {
    let requestBody: string | undefined;
    if (this.captureBodies) {
      const body = this.capture.getStore();
      if (body !== undefined) requestBody = redactBody(body);
    }
    // The ring copies the row's fields: no entry object is made unless someone listens (`serve --log`),
    // and then it is the one the ring gives back.
    this.ring.push(row, requestBody);
    if (this.listeners.length === 0) return;
    const entry = this.ring.newest(1)[0]!;
    for (const listener of this.listeners) listener(entry);
  }

  /** Newest first. */
  list(limit = 100): PortRequestLogEntry[] {
    return this.ring.newest(limit);
  }

  /** Feeds this log with the port's ledger rows as they are recorded; returns the unsubscribe. */
  follow(ledger: Ledger): () => void {
    return ledger.onRecord((row) => {
      if (row.source === 'port') this.addRow(row);
    });
  }
}
