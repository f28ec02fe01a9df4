// What the router knows about each key (`provider/label`): rate-limit cooldowns per (key, model) or
// for the whole key, and retirement after 401/402/403 with a re-probe on a doubling backoff. Bounded:
// cooldowns expire and are capped per key, and the key map itself is capped.
import type { KeyHealthInfo } from '../../../shared/types';
import type { LimitScope } from './failures';

/** First re-probe of a retired key this long after it was refused; doubles per failed probe. */
export const RETIRED_PROBE_MS = 60_000;
/** The longest wait between two probes of a retired key. */
export const RETIRED_PROBE_MAX_MS = 30 * 60_000;

/** How long after the refusal number `failedProbes + 1` a retired key is tried again. */
export function retiredProbeDelay(failedProbes: number, firstMs = RETIRED_PROBE_MS, maxMs = RETIRED_PROBE_MAX_MS): number {
  return Math.min(maxMs, firstMs * 2 ** Math.min(failedProbes, 30));
}

/** Models with their own cooldown per key: model names are the client's to choose. */
export const MAX_MODEL_COOLDOWNS = 256;
/** Keys tracked at once; they come from the configuration, so this is only a backstop. */
const MAX_KEYS = 1024;
/** A probe that never reported back (it cannot, normally: every attempt ends) frees its slot after this. */
const STALE_PROBE_MS = 10 * 60_000;

interface Retired {
  at: number;
  status: number | null;
  reason: string;
  fingerprint: string;
  /** Probes that were refused again since the key was first retired. */
  failedProbes: number;
  nextProbeAt: number;
  /** When the one request allowed to re-probe the key started, or 0. */
  probeSince: number;
}

interface KeyState {
  /** Whole-key cooldown (an account-wide limit). */
  until: number;
  /** Per-model cooldowns; Map order is the order they were set, oldest first. */
  models: Map<string, number>;
  retired?: Retired;
}

export interface KeyTiming {
  /** First re-probe delay and its cap (ms). */
  retiredProbeMs: number;
  retiredProbeMaxMs: number;
}

export type KeyAvailability = { ok: true; probe: boolean } | { ok: false; until: number };

export class KeyHealth {
  private readonly keys = new Map<string, KeyState>();

  constructor(
    private readonly now: () => number,
    private readonly timing: KeyTiming = { retiredProbeMs: RETIRED_PROBE_MS, retiredProbeMaxMs: RETIRED_PROBE_MAX_MS },
  ) {}

  private state(keyId: string): KeyState {
    let k = this.keys.get(keyId);
    if (!k) {
      if (this.keys.size >= MAX_KEYS) this.evictKey();
      this.keys.set(keyId, (k = { until: 0, models: new Map() }));
    }
    return k;
  }

  /** Drops a key with nothing to remember, else the oldest. */
  private evictKey(): void {
    const now = this.now();
    for (const [id, k] of this.keys) {
      if (!k.retired && k.until <= now && ![...k.models.values()].some((u) => u > now)) return void this.keys.delete(id);
    }
    this.keys.delete(this.keys.keys().next().value!);
  }

  /**
   * May the key be used for `model` now? A retired key whose backoff has passed admits exactly one
   * request as its probe (`probe: true`: the caller must call `probeStarted`, then report the outcome).
   */
  availability(keyId: string, model: string, fingerprint: () => string): KeyAvailability {
    const k = this.keys.get(keyId);
    if (!k) return { ok: true, probe: false };
    const now = this.now();
    if (k.retired) {
      // The user replaced the secret under the same label: give the new one a chance at once.
      if (k.retired.fingerprint !== fingerprint()) k.retired = undefined;
      else {
        const r = k.retired;
        // Not worth waiting for (Infinity): a refused key rarely comes back within a request's time.
        if (now < r.nextProbeAt || (r.probeSince && now - r.probeSince < STALE_PROBE_MS)) return { ok: false, until: Infinity };
        return { ok: true, probe: true };
      }
    }
    const until = Math.max(k.until, k.models.get(model) ?? 0);
    if (until > now) return { ok: false, until };
    if (k.models.has(model)) k.models.delete(model); // expired
    return { ok: true, probe: false };
  }

  probeStarted(keyId: string): void {
    const r = this.keys.get(keyId)?.retired;
    if (r) r.probeSince = this.now();
  }

  /** The key answered: a retired key's probe succeeded and it is back in use. */
  succeeded(keyId: string): void {
    const k = this.keys.get(keyId);
    if (k?.retired) k.retired = undefined;
  }

  /** The probe ended without a verdict on the key (a 500, a timeout, the client left): another may probe. */
  probeEnded(keyId: string): void {
    const r = this.keys.get(keyId)?.retired;
    if (r) r.probeSince = 0;
  }

  /** Cools the key for `model` for `ms`, or for every model when the limit is account-wide. */
  cool(keyId: string, model: string, ms: number, scope: LimitScope): void {
    const k = this.state(keyId);
    const until = this.now() + ms;
    if (scope === 'key') {
      k.until = Math.max(k.until, until);
      return;
    }
    const was = k.models.get(model) ?? 0;
    k.models.delete(model); // re-insert: the newest cooldown goes last
    k.models.set(model, Math.max(was, until));
    if (k.models.size > MAX_MODEL_COOLDOWNS) this.trim(k);
  }

  private trim(k: KeyState): void {
    const now = this.now();
    for (const [m, until] of k.models) if (until <= now) k.models.delete(m);
    // Still full of live cooldowns: the oldest set goes (it ends soonest, give or take its Retry-After).
    while (k.models.size > MAX_MODEL_COOLDOWNS) k.models.delete(k.models.keys().next().value!);
  }

  /**
   * A 401/402/403. A key already retired by an earlier request stays on its schedule; a failed probe
   * doubles the wait before the next one.
   */
  retire(keyId: string, status: number | null, reason: string, fingerprint: string, wasProbe: boolean): void {
    const k = this.state(keyId);
    const now = this.now();
    const r = k.retired;
    if (r && r.fingerprint === fingerprint && !wasProbe) return;
    const failedProbes = r && wasProbe && r.fingerprint === fingerprint ? r.failedProbes + 1 : 0;
    const delay = retiredProbeDelay(failedProbes, this.timing.retiredProbeMs, this.timing.retiredProbeMaxMs);
    k.retired = {
      at: r && failedProbes > 0 ? r.at : now,
      status,
      reason,
      fingerprint,
      failedProbes,
      nextProbeAt: now + delay,
      probeSince: 0,
    };
  }

  /** Keys not in use now, for the UI: retired ones (with their next probe), whole-key and per-model cooldowns. */
  snapshot(): KeyHealthInfo[] {
    const now = this.now();
    const out: KeyHealthInfo[] = [];
    for (const [id, k] of this.keys) {
      const slash = id.indexOf('/');
      const base = { provider: id.slice(0, slash), label: id.slice(slash + 1) };
      if (k.retired) {
        const r = k.retired;
        out.push({
          ...base,
          model: null,
          state: 'retired',
          since: r.at,
          until: null,
          status: r.status,
          reason: r.reason,
          nextCheckAt: r.nextProbeAt,
          failedProbes: r.failedProbes,
        });
        continue;
      }
      if (k.until > now)
        out.push({
          ...base,
          model: null,
          state: 'cooling-down',
          since: null,
          until: k.until,
          status: 429,
          reason: 'rate limited on the whole account',
          nextCheckAt: null,
        });
      for (const [model, until] of k.models) {
        if (until > now)
          out.push({
            ...base,
            model,
            state: 'cooling-down',
            since: null,
            until,
            status: 429,
            reason: `rate limited on ${model}`,
            nextCheckAt: null,
          });
      }
    }
    return out;
  }
}
