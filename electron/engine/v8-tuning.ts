// V8 settings for the long-running process that hosts the port (serve, the Electron main process): heap
// sizing, and how soon the request path's code is optimized.
//
// Heap sizing.
// Nearly everything the port allocates is per-request garbage that outlives a young-generation
// collection or two (a stream lives for seconds) and so is promoted; V8's default then lets the old
// generation grow to about 4x its live size before a full collection. On the port that meant ~100 MB
// of dead requests resident under load. Growing by 1.5x instead keeps resident memory near the live
// set (measured with 256 streams held open: peak RSS ~205 -> ~160 MB); the extra full collections
// cost little because the live set is small (~20-30 MB).
// Allocation-site pretenuring is off. V8 allocates objects straight into the old generation from a
// site whose objects mostly survived a young collection; on the port a burst of requests (start-up,
// a stall) makes the request path's sites look long-lived, and they stay so. Pretenured request
// state then dies in the old generation, and while it waits for a full collection its pointers keep
// young objects alive through scavenges. Measured under a fixed-rate load of 1,400 req/s: bytes
// surviving each scavenge ~1.1 MB -> ~0.35 MB (the bare proxy's: ~0.25), full collections 11 -> 4
// in 15 s, CPU per request at c=32 unchanged.
// The young generation keeps node's default size: a smaller one (set on node's command line) saved
// 15-25 MB under load but cost 15-30% more CPU per streamed request, and serve runs with default flags.
//
// Optimization. V8 optimizes a function once it has run about three "interrupt budgets" of bytecode
// (66 KB each by default). The port's request path is a few hundred small functions that each run once
// per request, so by default they reach optimized code only after a thousand requests or more, and a
// port serving an IDE at a few requests a minute spends most of its life in the slower tiers. A quarter
// of the budget gets them there four times sooner. Measured here at concurrency 1 (the port bench's c=1
// cells, interleaved A/B, the first 1,000 requests of a fresh serve): added p50 over a direct call
// 0.77-0.81 -> 0.60-0.61 ms (JSON, undici client) and 0.89-1.00 -> 0.77-0.85 ms (streams); once warm
// (~5,000 requests) the same either way, and CPU per request at concurrency 32 unchanged. Over such a
// run V8 optimized ~25% more functions (844 -> 1,084) and deoptimized 41 -> 76: no optimize/deoptimize
// loop.
import { setFlagsFromString } from 'node:v8';

/** Heap growth per full collection, in percent above the live size. */
export const HEAP_GROWING_PERCENT = 50;

/** Bytecode bytes per optimization tick: a quarter of V8's default (67,584). */
export const INTERRUPT_BUDGET = 16_384;

/**
 * Whether this V8 tiers up by interrupt budget, the scheme measured above: V8 11 (node 20). Later
 * versions (node 22 and up, Electron's) count invocations instead and have a mid tier (Maglev) that
 * gets there sooner by itself; they keep their defaults, and are not sent a flag they may not know
 * (V8 prints an error for an unknown one).
 */
export const tiersByInterruptBudget = (v8Version: string = process.versions.v8): boolean => Number(v8Version.split('.')[0]) === 11;

let tuned = false;

/**
 * Once per process, before serving: heap growth by HEAP_GROWING_PERCENT, no pretenuring, and (on V8 11)
 * the request path optimized after a quarter of the usual runs. Functions that have not run yet (the
 * request path, at start-up) take the new budget.
 */
export function tuneV8ForGateway(): void {
  if (tuned) return;
  tuned = true;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  setFlagsFromString('--no-allocation-site-pretenuring');
  if (tiersByInterruptBudget()) setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET}`);
}
