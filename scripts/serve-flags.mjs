// Node flags for a process that serves the port (`npm start` headless, `npm run serve`, the port bench).
// An 8 MB semi-space (node's default grows to 16 MB) keeps the port's resident memory down under load;
// V8 reads it only at launch, so it must be on node's command line. It is a trade: measured with 256
// streams held open, peak RSS ~160 -> ~145 MB; streaming at c=256 costs ~15-30% more CPU per request
// (2 MB cost far more, and 4 MB ~50%). Run `node bin/switchboard.js serve` without it to favour
// throughput. The old generation is tuned at run time (electron/engine/heap-tuning.ts).
export const SERVE_NODE_FLAGS = ['--max-semi-space-size=8'];
