// Reads a newline-delimited JSON body (Ollama's stream) object by object, whatever the chunking.
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

export async function* readNdjson(body: Readable): AsyncGenerator<Record<string, any>> {
  const decoder = new StringDecoder('utf8');
  let buffer = '';
  for await (const chunk of body) {
    buffer += decoder.write(chunk as Buffer);
    let nl: number;
    while ((nl = buffer.indexOf('\n')) !== -1) {
      const line = buffer.slice(0, nl).trim();
      buffer = buffer.slice(nl + 1);
      if (line) yield JSON.parse(line) as Record<string, any>;
    }
  }
  buffer += decoder.end();
  if (buffer.trim()) yield JSON.parse(buffer) as Record<string, any>;
}
