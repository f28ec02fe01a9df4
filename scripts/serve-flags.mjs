// Node flags for a process that serves the port (`npm start` headless, `npm run serve`, the port bench).
// A 4 MB young generation (node's default grows to 16 MB per semi-space) keeps the port's resident
// memory down under load at no measurable CPU cost; V8 reads it only at launch, so it must be on
// node's command line. The old generation is tuned at run time (electron/engine/heap-tuning.ts).
export const SERVE_NODE_FLAGS = ['--max-semi-space-size=4'];
