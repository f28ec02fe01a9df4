// What a compare run keeps per column, and the persistence seam for finished runs.
import type { ChatStreamEvent } from '../../../shared/types';
import type { Repository } from '../../lib/repository';

export type ColumnReport = Omit<Extract<ChatStreamEvent, { type: 'done' }>, 'type'>;

export interface CompareColumn {
  id: string;
  /** Route name or `provider/model`. */
  model: string;
  /** `Model A`, `Model B`… shown instead of the name in blind mode until the vote. */
  alias: string;
  text: string;
  status: 'waiting' | 'streaming' | 'done' | 'error' | 'stopped';
  startedAt: number;
  firstTokenAt?: number;
  endedAt?: number;
  /** Stream deltas seen: a live stand-in for tokens until the engine's usage arrives. */
  deltas: number;
  report?: ColumnReport;
  error?: string;
}

export interface CompareRun {
  id: string;
  updatedAt: number;
  prompt: string;
  blind: boolean;
  columns: CompareColumn[];
  /** Column id the user voted for. */
  winner: string | null;
}

/** In memory (tests) or the engine's storage (compare-repositories.ts). */
export type CompareRunRepository = Repository<CompareRun>;

export interface ColumnStats {
  ttftMs: number | null;
  tokensPerSecond: number | null;
  outputTokens: number | null;
  costUsd: number | null | undefined;
}

/** Engine figures when the column is done; live estimates while it streams. */
export function columnStats(c: CompareColumn, now: number): ColumnStats {
  const ttftMs = c.report?.ttftMs ?? (c.firstTokenAt !== undefined ? c.firstTokenAt - c.startedAt : null);
  const tokens = c.report ? c.report.usage.outputTokens : c.deltas;
  const end = c.endedAt ?? now;
  const seconds = c.firstTokenAt !== undefined ? (end - c.firstTokenAt) / 1000 : 0;
  return {
    ttftMs,
    tokensPerSecond: seconds > 0.05 && tokens > 0 ? tokens / seconds : null,
    outputTokens: c.report ? c.report.usage.outputTokens : null,
    costUsd: c.report ? c.report.costUsd : undefined,
  };
}
