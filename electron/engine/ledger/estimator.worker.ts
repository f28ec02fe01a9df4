// The token-counting thread (started by estimator.ts on the first estimate, so the tokenizer's ~70 MB
// of tables load only then): counts each job's text groups with the BPE tokenizer and answers by job
// number. Bundled on its own (scripts/build.mjs); run from source, worker-file.ts compiles it.
import { parentPort } from 'node:worker_threads';
import { countTokens as count } from 'gpt-tokenizer';
import { lowerThreadPriority } from '../background-priority';
import type { EstimateJob, EstimateReply, TextGroup } from './estimator';

// Counting is background work: no response waits for it (background-priority.ts).
lowerThreadPriority();

/** Characters counted exactly per group; the rest is scaled at the rate of those. */
const EXACT_CHARS = 256 * 1024;
/** Windows the text is counted in, and the longest piece a run without whitespace is counted in. */
const WINDOW_CHARS = 4096;
const RUN_CHARS = 128;
const LONG_RUN = new RegExp(`\\S{${RUN_CHARS},}`, 'g');

const isSpace = (c: number) => c === 32 || c === 10 || c === 9 || c === 13;

/** BPE time grows with the square of a word's length: text is counted in windows cut at whitespace. */
function countText(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length;) {
    let end = Math.min(text.length, i + WINDOW_CHARS);
    if (end < text.length) {
      let j = end;
      while (j > i + WINDOW_CHARS / 2 && !isSpace(text.charCodeAt(j))) j--;
      if (j > i + WINDOW_CHARS / 2) end = j;
    }
    n += countWindow(text.slice(i, end));
    i = end;
  }
  return n;
}

/** A run without any whitespace (a hostile 10 MB of one letter) is counted in short pieces. */
function countWindow(w: string): number {
  let n = 0;
  let last = 0;
  LONG_RUN.lastIndex = 0;
  for (let m = LONG_RUN.exec(w); m !== null; m = LONG_RUN.exec(w)) {
    if (m.index > last) n += count(w.slice(last, m.index));
    for (let k = 0; k < m[0].length; k += RUN_CHARS) n += count(m[0].slice(k, k + RUN_CHARS));
    last = m.index + m[0].length;
  }
  return last < w.length ? n + count(w.slice(last)) : n;
}

function countGroup(g: TextGroup): number {
  let n = 0;
  let chars = 0;
  let extra = g.extraChars;
  for (const t of g.texts) {
    const room = EXACT_CHARS - chars;
    if (room <= 0) {
      extra += t.length;
      continue;
    }
    const piece = t.length > room ? t.slice(0, room) : t;
    extra += t.length - piece.length;
    chars += piece.length;
    n += countText(piece);
  }
  // Beyond what was counted, tokens are taken at the rate of what was.
  if (extra > 0) n = chars > 0 ? Math.round((n * (chars + extra)) / chars) : Math.ceil(extra / 4);
  return n + (g.fixedTokens ?? 0);
}

parentPort!.on('message', (job: EstimateJob) => {
  let reply: EstimateReply;
  try {
    reply = { seq: job.seq, counts: job.groups.map(countGroup) };
  } catch (error) {
    reply = { seq: job.seq, counts: null, error: String((error as Error | null)?.message) };
  }
  parentPort!.postMessage(reply);
});
