// Reads a newline-delimited JSON body (Ollama's stream) object by object, whatever the chunking.
// A line split over many chunks is searched for its end only in each new chunk and joined once, so a
// huge line costs time in proportion to its size (re-scanning a growing buffer made a 10 MB line
// take seconds of CPU).
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

function parseLine(line: string): Record<string, any> {
  const value = JSON.parse(line) as unknown;
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new SyntaxError('an NDJSON line that is not a JSON object');
  return value as Record<string, any>;
}

export async function* readNdjson(body: Readable): AsyncGenerator<Record<string, any>> {
  const decoder = new StringDecoder('utf8');
  /** The current line's pieces, from chunks that had no newline yet. */
  let pending: string[] = [];
  for await (const chunk of body) {
    const text = decoder.write(chunk as Buffer);
    let start = 0;
    let nl: number;
    while ((nl = text.indexOf('\n', start)) !== -1) {
      const piece = text.slice(start, nl);
      const line = (pending.length ? pending.join('') + piece : piece).trim();
      pending = [];
      start = nl + 1;
      if (line) yield parseLine(line);
    }
    if (start < text.length) pending.push(text.slice(start));
  }
  const rest = (pending.join('') + decoder.end()).trim();
  if (rest) yield parseLine(rest);
}
