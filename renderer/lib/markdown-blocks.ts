// Splits markdown into top-level blocks at blank lines outside code fences. A streaming reply then
// re-parses only its last, growing block; finished blocks keep their rendered output.

export function splitBlocks(text: string): string[] {
  const blocks: string[] = [];
  let start = 0;
  let inFence = false;
  let lineStart = 0;
  while (lineStart <= text.length) {
    const nl = text.indexOf('\n', lineStart);
    const lineEnd = nl === -1 ? text.length : nl;
    const line = text.slice(lineStart, lineEnd);
    if (/^\s{0,3}(```|~~~)/.test(line)) inFence = !inFence;
    else if (!inFence && line.trim() === '') {
      if (text.slice(start, lineStart).trim() !== '') blocks.push(text.slice(start, lineStart));
      start = lineEnd + 1;
    }
    if (nl === -1) break;
    lineStart = nl + 1;
  }
  if (start < text.length) blocks.push(text.slice(start));
  return blocks;
}
