// Counts successes and failures over the last `windowMs`, in ten buckets: O(1) per event, fixed memory,
// whatever the request rate. A breaker judges a failure rate from it, not a bare failure count (a busy
// target with a 1% error rate must not trip it).
const BUCKETS = 10;

export class SlidingWindow {
  private readonly index = new Array<number>(BUCKETS).fill(-1);
  private readonly ok = new Array<number>(BUCKETS).fill(0);
  private readonly fail = new Array<number>(BUCKETS).fill(0);
  private readonly bucketMs: number;

  constructor(windowMs: number) {
    this.bucketMs = Math.max(1, windowMs / BUCKETS);
  }

  add(now: number, success: boolean): void {
    const i = Math.floor(now / this.bucketMs);
    const slot = i % BUCKETS;
    if (this.index[slot] !== i) {
      this.index[slot] = i;
      this.ok[slot] = 0;
      this.fail[slot] = 0;
    }
    if (success) this.ok[slot]!++;
    else this.fail[slot]!++;
  }

  counts(now: number): { ok: number; fail: number } {
    const current = Math.floor(now / this.bucketMs);
    let ok = 0;
    let fail = 0;
    for (let s = 0; s < BUCKETS; s++) {
      if (this.index[s]! > current - BUCKETS) {
        ok += this.ok[s]!;
        fail += this.fail[s]!;
      }
    }
    return { ok, fail };
  }

  clear(): void {
    this.index.fill(-1);
  }
}
