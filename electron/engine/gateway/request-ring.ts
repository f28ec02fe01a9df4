// The request log's storage: its last N entries kept in columns (typed arrays for the numbers, arrays of
// shared strings), not as an object graph per request. The ring holds each entry for the next N
// requests, so per-request objects would outlive the young generation and be promoted: under load they
// were a quarter of what each scavenge copied (docs/architecture.md, "What makes the main heap's mark-compacts").
import type { PortRequestLogEntry } from '../../../shared/types';

type Attempt = PortRequestLogEntry['attempts'][number];

/** What an entry is written from: a log entry, or a ledger row (whose fields of the same names mean the same). */
export type RingSource = Omit<PortRequestLogEntry, 'attempts' | 'notes' | 'requestBody'> & {
  attempts: readonly Attempt[];
  notes?: readonly string[];
};

// Number columns, NaN for null.
const STARTED_AT = 0;
const HTTP_STATUS = 1;
const INPUT_TOKENS = 2;
const OUTPUT_TOKENS = 3;
const COST_USD = 4;
const TTFT_MS = 5;
const DURATION_MS = 6;
const ATTEMPT_STATUS = 7;
const ATTEMPT_DURATION_MS = 8;
const NUMBERS = 9;

// String columns, undefined for an absent optional field.
const ID = 0;
const CLIENT = 1;
const ROUTE = 2;
const PROVIDER = 3;
const MODEL = 4;
const REQUESTED_MODEL = 5;
const PATH = 6;
const STATUS = 7;
const ERROR_MESSAGE = 8;
const ATTEMPT_PROVIDER = 9;
const ATTEMPT_MODEL = 10;
const ATTEMPT_ERROR_CLASS = 11;
const STRINGS = 12;

/** Distinct names (models, routes, clients) kept once: a name parsed from each request body is then not held N times. */
const INTERN_LIMIT = 1024;
const INTERN_MAX_LENGTH = 256;

const orNaN = (n: number | null | undefined): number => (n === null || n === undefined ? Number.NaN : n);
const orNull = (n: number): number | null => (Number.isNaN(n) ? null : n);

/** What few entries have: more than one attempt, notes, a captured body. */
interface Rare {
  attempts?: Attempt[];
  notes?: string[];
  requestBody?: string;
}

export class RequestRing {
  private readonly numbers: Float64Array;
  private readonly strings: Array<string | null | undefined>;
  private readonly attemptCounts: Uint16Array;
  private readonly estimated: Uint8Array;
  private readonly rare: Array<Rare | undefined>;
  private readonly interned = new Map<string, string>();
  private size = 0;
  private next = 0;

  constructor(readonly capacity: number) {
    this.numbers = new Float64Array(capacity * NUMBERS);
    this.strings = new Array<string | null | undefined>(capacity * STRINGS).fill(undefined);
    this.attemptCounts = new Uint16Array(capacity);
    this.estimated = new Uint8Array(capacity);
    this.rare = new Array<Rare | undefined>(capacity).fill(undefined);
  }

  private intern(s: string | null | undefined): string | null | undefined {
    if (typeof s !== 'string' || s.length > INTERN_MAX_LENGTH) return s;
    const kept = this.interned.get(s);
    if (kept !== undefined) return kept;
    if (this.interned.size < INTERN_LIMIT) this.interned.set(s, s);
    return s;
  }

  /** Writes `source` over the oldest entry once the ring is full; `requestBody` only while capture is on. */
  push(source: RingSource, requestBody?: string): void {
    const slot = this.next;
    this.next = (slot + 1) % this.capacity;
    if (this.size < this.capacity) this.size++;
    const n = slot * NUMBERS;
    const nums = this.numbers;
    nums[n + STARTED_AT] = source.startedAt;
    nums[n + HTTP_STATUS] = source.httpStatus;
    nums[n + INPUT_TOKENS] = source.inputTokens;
    nums[n + OUTPUT_TOKENS] = source.outputTokens;
    nums[n + COST_USD] = orNaN(source.costUsd);
    nums[n + TTFT_MS] = orNaN(source.ttftMs);
    nums[n + DURATION_MS] = source.durationMs;
    const s = slot * STRINGS;
    const strs = this.strings;
    strs[s + ID] = source.id;
    strs[s + CLIENT] = this.intern(source.client);
    strs[s + ROUTE] = this.intern(source.route);
    strs[s + PROVIDER] = this.intern(source.provider);
    strs[s + MODEL] = this.intern(source.model);
    strs[s + REQUESTED_MODEL] = this.intern(source.requestedModel);
    strs[s + PATH] = this.intern(source.path);
    strs[s + STATUS] = source.status;
    strs[s + ERROR_MESSAGE] = source.errorMessage;
    const attempts = source.attempts;
    this.attemptCounts[slot] = Math.min(attempts.length, 0xffff);
    const first = attempts[0];
    strs[s + ATTEMPT_PROVIDER] = first ? this.intern(first.provider) : undefined;
    strs[s + ATTEMPT_MODEL] = first ? this.intern(first.model) : undefined;
    strs[s + ATTEMPT_ERROR_CLASS] = first ? this.intern(first.errorClass) : undefined;
    nums[n + ATTEMPT_STATUS] = orNaN(first?.status);
    nums[n + ATTEMPT_DURATION_MS] = first ? first.durationMs : Number.NaN;
    this.estimated[slot] = source.usageEstimated ? 1 : 0;
    const more = attempts.length > 1;
    const notes = source.notes?.length ? source.notes : undefined;
    this.rare[slot] =
      more || notes || requestBody !== undefined
        ? {
            attempts: more ? attempts.map(copyAttempt) : undefined,
            notes: notes ? [...notes] : undefined,
            requestBody,
          }
        : undefined;
  }

  /** Up to `limit` entries, newest first, each a fresh object (the renderer and the CLI may keep them). */
  newest(limit: number): PortRequestLogEntry[] {
    const n = Math.min(Math.max(0, Math.floor(limit)), this.size);
    const out: PortRequestLogEntry[] = [];
    for (let i = 1; i <= n; i++) out.push(this.read((this.next - i + this.capacity) % this.capacity));
    return out;
  }

  private read(slot: number): PortRequestLogEntry {
    const n = slot * NUMBERS;
    const s = slot * STRINGS;
    const nums = this.numbers;
    const strs = this.strings;
    const rare = this.rare[slot];
    const count = this.attemptCounts[slot]!;
    let attempts: Attempt[] = [];
    if (rare?.attempts) attempts = rare.attempts.map(copyAttempt);
    else if (count === 1) {
      const attempt: Attempt = {
        provider: strs[s + ATTEMPT_PROVIDER]!,
        model: strs[s + ATTEMPT_MODEL]!,
        status: orNull(nums[n + ATTEMPT_STATUS]!),
        durationMs: nums[n + ATTEMPT_DURATION_MS]!,
      };
      const errorClass = strs[s + ATTEMPT_ERROR_CLASS];
      if (errorClass != null) attempt.errorClass = errorClass;
      attempts = [attempt];
    }
    const entry: PortRequestLogEntry = {
      id: strs[s + ID]!,
      startedAt: nums[n + STARTED_AT]!,
      client: strs[s + CLIENT] ?? null,
      route: strs[s + ROUTE] ?? null,
      provider: strs[s + PROVIDER] ?? null,
      model: strs[s + MODEL] ?? null,
      requestedModel: strs[s + REQUESTED_MODEL] ?? null,
      status: strs[s + STATUS] as PortRequestLogEntry['status'],
      httpStatus: nums[n + HTTP_STATUS]!,
      attempts,
      inputTokens: nums[n + INPUT_TOKENS]!,
      outputTokens: nums[n + OUTPUT_TOKENS]!,
      costUsd: orNull(nums[n + COST_USD]!),
      ttftMs: orNull(nums[n + TTFT_MS]!),
      durationMs: nums[n + DURATION_MS]!,
    };
    const path = strs[s + PATH];
    if (path != null) entry.path = path;
    const errorMessage = strs[s + ERROR_MESSAGE];
    if (errorMessage != null) entry.errorMessage = errorMessage;
    if (this.estimated[slot]) entry.usageEstimated = true;
    if (rare?.notes) entry.notes = [...rare.notes];
    if (rare?.requestBody !== undefined) entry.requestBody = rare.requestBody;
    return entry;
  }
}

/** The fields of an attempt the log shows (a ledger attempt carries more). */
function copyAttempt(a: Attempt): Attempt {
  const copy: Attempt = { provider: a.provider, model: a.model, status: a.status, durationMs: a.durationMs };
  if (a.errorClass !== undefined) copy.errorClass = a.errorClass;
  return copy;
}
