// Health of every target and key, kept in memory for the whole engine: a breaker per target (sliding
// window, half-open with a single probe), cooldowns and retirement per key (key-health.ts), latency
// averages and a short history for the UI. Everything is O(1) per attempt and does no I/O: it sits on
// the hot path. Bounded: configured targets plus a capped least-recently-used set of ad-hoc ones.
import type { HealthSnapshot, TargetHealthInfo } from '../../../shared/types';
import type { FailureClass, LimitScope } from './failures';
import { KeyHealth, RETIRED_PROBE_MAX_MS, RETIRED_PROBE_MS } from './key-health';
import { SlidingWindow } from './sliding-window';
import { StickySessions } from './sticky';

export interface HealthOptions {
  /** Failures within `windowMs` that open a target's breaker (when they are also `failureRate` of its outcomes). */
  failureThreshold: number;
  /** Share of failures among the window's outcomes needed to open (0..1). */
  failureRate: number;
  windowMs: number;
  /** How long an open breaker stays open before it lets one probe through. */
  openMs: number;
  /** Upper bound for any cooldown taken from Retry-After / retry-after-ms. */
  maxCooldownMs: number;
  /** Cooldown for a 429 that names no Retry-After. */
  defaultRateLimitMs: number;
  /** Entries of recent history kept per target. */
  historySize: number;
  /** A retired key's first re-probe comes this long after the refusal, doubling per failed probe... */
  retiredProbeMs: number;
  /** ...up to this. */
  retiredProbeMaxMs: number;
}

export const DEFAULT_HEALTH: HealthOptions = {
  failureThreshold: 3,
  failureRate: 0.5,
  windowMs: 30_000,
  openMs: 15_000,
  maxCooldownMs: 60_000,
  defaultRateLimitMs: 2_000,
  historySize: 20,
  retiredProbeMs: RETIRED_PROBE_MS,
  retiredProbeMaxMs: RETIRED_PROBE_MAX_MS,
};

/**
 * Ad-hoc targets (`provider/model` names a client made up, not in any route) kept at once; the least
 * recently used goes first. Configured targets are never evicted.
 */
export const MAX_AD_HOC_TARGETS = 256;

/** Failure classes that say something about a target's health (the caller's own faults do not). */
const BREAKER_CLASSES: ReadonlySet<FailureClass> = new Set(['network', 'timeout', 'server', 'overloaded', 'malformed']);

type BreakerState = 'closed' | 'open' | 'half-open';

interface HistoryEntry {
  at: number;
  ok: boolean;
  status: number | null;
  errorClass?: string;
  key?: string;
}

class TargetHealth {
  state: BreakerState = 'closed';
  /** Outcomes inside the breaker's window. */
  window: SlidingWindow;
  openedAt = 0;
  openUntil = 0;
  probeInFlight = false;
  cooldownUntil = 0;
  /** Decaying averages; null until measured (a recovered target is measured again). */
  ttftMs: number | null = null;
  tokensPerSec: number | null = null;
  measuredAt = 0;
  history: HistoryEntry[] = [];
  successes = 0;
  failuresTotal = 0;

  constructor(windowMs: number) {
    this.window = new SlidingWindow(windowMs);
  }
}

const EWMA = 0.3;

export type Availability = { ok: true; probe: boolean } | { ok: false; until: number; reason: 'breaker-open' | 'cooling-down' | 'probing' };

export class RouterHealth {
  private readonly targets = new Map<string, TargetHealth>();
  /** Targets some route or provider lists: kept whatever the traffic. */
  private configured = new Set<string>();
  /** The other targets' ids, least recently used first (Set order is insertion order). */
  private readonly adHoc = new Set<string>();
  /** Cooldowns and retirement per key. */
  readonly keys: KeyHealth;
  readonly options: HealthOptions;
  /** Conversation -> target that holds its prompt cache. */
  readonly sticky: StickySessions;

  constructor(
    options: Partial<HealthOptions> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.options = { ...DEFAULT_HEALTH, ...options };
    this.sticky = new StickySessions(now);
    // The options object itself: settings changes (configure) reach the keys' probe timing too.
    this.keys = new KeyHealth(now, this.options);
  }

  /** The targets the configuration names (route targets, provider models): never evicted. */
  setConfigured(ids: Iterable<string>): void {
    this.configured = new Set(ids);
    for (const id of this.configured) this.adHoc.delete(id);
    for (const id of this.targets.keys()) if (!this.configured.has(id) && !this.adHoc.has(id)) this.adHoc.add(id);
    this.evictAdHoc();
  }

  private evictAdHoc(): void {
    while (this.adHoc.size > MAX_AD_HOC_TARGETS) {
      const oldest = this.adHoc.values().next().value!;
      this.adHoc.delete(oldest);
      this.targets.delete(oldest);
    }
  }

  /** New tuning (settings changed); state is kept. */
  configure(options: Partial<HealthOptions>): void {
    const windowMs = this.options.windowMs;
    Object.assign(this.options, DEFAULT_HEALTH, options);
    if (this.options.windowMs !== windowMs) for (const t of this.targets.values()) t.window = new SlidingWindow(this.options.windowMs);
  }

  /** The target's state, created on first use; an ad-hoc one becomes the most recently used. */
  private target(id: string): TargetHealth {
    let t = this.targets.get(id);
    if (!t) this.targets.set(id, (t = new TargetHealth(this.options.windowMs)));
    if (!this.configured.has(id)) {
      this.adHoc.delete(id);
      this.adHoc.add(id);
      if (this.adHoc.size > MAX_AD_HOC_TARGETS) this.evictAdHoc();
    }
    return t;
  }

  /** May `id` be tried now? An open breaker past its time becomes half-open and admits one probe. */
  availability(id: string): Availability {
    const t = this.targets.get(id);
    if (!t) return { ok: true, probe: false };
    const now = this.now();
    if (t.cooldownUntil > now) return { ok: false, until: t.cooldownUntil, reason: 'cooling-down' };
    if (t.state === 'open') {
      if (now < t.openUntil) return { ok: false, until: t.openUntil, reason: 'breaker-open' };
      t.state = 'half-open';
      t.probeInFlight = false;
    }
    if (t.state === 'half-open') {
      if (t.probeInFlight) return { ok: false, until: now + this.options.openMs, reason: 'probing' };
      return { ok: true, probe: true };
    }
    return { ok: true, probe: false };
  }

  /** Marks the start of an attempt; a half-open target's single probe is taken here. */
  begin(id: string, probe: boolean): void {
    if (probe) this.target(id).probeInFlight = true;
  }

  success(id: string, status = 200, keyLabel?: string): void {
    const t = this.target(id);
    if (t.state !== 'closed') {
      // A recovered target: forget old latency so lowest-latency measures it afresh.
      t.ttftMs = null;
      t.tokensPerSec = null;
    }
    if (t.state !== 'closed') t.window.clear(); // a fresh start after recovery
    t.state = 'closed';
    t.probeInFlight = false;
    t.window.add(this.now(), true);
    t.successes++;
    this.remember(t, { at: this.now(), ok: true, status, key: keyLabel });
  }

  /** Records a failure; returns the cooldown (ms) applied to the target, if any. */
  failure(id: string, failureClass: FailureClass, status: number | null, keyLabel?: string, retryAfterMs?: number): void {
    const t = this.target(id);
    const now = this.now();
    t.failuresTotal++;
    this.remember(t, { at: now, ok: false, status, errorClass: failureClass, key: keyLabel });
    // A target-wide "come back later" (503/529 with Retry-After): skip it that long.
    if (failureClass === 'overloaded' && retryAfterMs !== undefined)
      t.cooldownUntil = Math.max(t.cooldownUntil, now + this.cap(retryAfterMs));
    if (!BREAKER_CLASSES.has(failureClass)) {
      if (t.state === 'half-open') t.probeInFlight = false; // the probe proved nothing about health
      return;
    }
    if (t.state === 'half-open') return this.open(t, now);
    t.window.add(now, false);
    if (t.state !== 'closed') return;
    const { ok, fail } = t.window.counts(now);
    if (fail >= this.options.failureThreshold && fail >= this.options.failureRate * (ok + fail)) this.open(t, now);
  }

  /** An attempt that ended without a verdict (the client left): release a probe slot it held. */
  release(id: string): void {
    const t = this.targets.get(id);
    if (t) t.probeInFlight = false;
  }

  private open(t: TargetHealth, now: number): void {
    t.state = 'open';
    t.openedAt = now;
    t.openUntil = now + this.options.openMs;
    t.probeInFlight = false;
    t.window.clear();
  }

  private remember(t: TargetHealth, entry: HistoryEntry): void {
    t.history.push(entry);
    if (t.history.length > this.options.historySize) t.history.shift();
  }

  cap(ms: number): number {
    return Math.max(0, Math.min(ms, this.options.maxCooldownMs));
  }

  /** Latency samples for lowest-latency: time to first token, and output rate once a stream ends. */
  observeTtft(id: string, ms: number): void {
    const t = this.target(id);
    t.ttftMs = t.ttftMs === null ? ms : t.ttftMs + EWMA * (ms - t.ttftMs);
    t.measuredAt = this.now();
  }

  observeRate(id: string, tokensPerSec: number): void {
    if (!Number.isFinite(tokensPerSec) || tokensPerSec <= 0) return;
    const t = this.target(id);
    t.tokensPerSec = t.tokensPerSec === null ? tokensPerSec : t.tokensPerSec + EWMA * (tokensPerSec - t.tokensPerSec);
  }

  latency(id: string): { ttftMs: number | null; tokensPerSec: number | null; measuredAt: number } {
    const t = this.targets.get(id);
    return t
      ? { ttftMs: t.ttftMs, tokensPerSec: t.tokensPerSec, measuredAt: t.measuredAt }
      : { ttftMs: null, tokensPerSec: null, measuredAt: 0 };
  }

  // ---- keys (`provider/label`): availability, probes and snapshots live in `keys`

  /**
   * A 429: cools the key for `model` (providers limit per model), or the whole key when the provider
   * said the account is out. Returns the cooldown applied (ms): Retry-After capped, else a default; an
   * account-wide limit without Retry-After gets the longest cooldown (seconds will not refill a quota).
   */
  coolKey(keyId: string, model: string, retryAfterMs: number | undefined, scope: LimitScope = 'model'): number {
    const ms = this.cap(retryAfterMs ?? (scope === 'key' ? this.options.maxCooldownMs : this.options.defaultRateLimitMs));
    this.keys.cool(keyId, model, ms, scope);
    return ms;
  }

  /** A 401/402/403; `wasProbe` when the request was the retired key's re-probe (its backoff doubles). */
  retireKey(keyId: string, status: number | null, reason: string, fingerprint: string, wasProbe = false): void {
    this.keys.retire(keyId, status, reason, fingerprint, wasProbe);
  }

  /** Plain data for the UI (routes.health): breaker states, cooldowns, retired keys, recent history. */
  snapshot(): HealthSnapshot {
    const now = this.now();
    const targets: TargetHealthInfo[] = [];
    for (const [id, t] of this.targets) {
      const slash = id.indexOf('/');
      let state = t.state;
      if (state === 'open' && now >= t.openUntil) state = 'half-open';
      targets.push({
        provider: id.slice(0, slash),
        model: id.slice(slash + 1),
        breaker: state,
        openUntil: state === 'open' ? t.openUntil : null,
        cooldownUntil: t.cooldownUntil > now ? t.cooldownUntil : null,
        failuresInWindow: t.window.counts(now).fail,
        successes: t.successes,
        failures: t.failuresTotal,
        ttftMs: t.ttftMs,
        tokensPerSec: t.tokensPerSec,
        recent: t.history.map((h) => ({ at: h.at, ok: h.ok, status: h.status, errorClass: h.errorClass, keyLabel: h.key })),
      });
    }
    return { at: now, targets, keys: this.keys.snapshot() };
  }
}

export const targetId = (provider: string, model: string): string => `${provider}/${model}`;
