// Budget configuration (kept in settings) and the small API every entry point uses before sending.
import { z } from 'zod';

export const budgetSchema = z
  .strictObject({
    // Spaces are allowed inside a name ("Team monthly"); the name is quoted wherever it is shown.
    name: z
      .string()
      .regex(
        /^[A-Za-z0-9](?:[A-Za-z0-9 ._-]*[A-Za-z0-9._-])?$/,
        'a budget name starts with a letter or digit and holds letters, digits, spaces, ".", "_" or "-" (no space at either end)',
      ),
    /** Client token name this budget applies to; absent = every request (global). */
    client: z.string().min(1).optional(),
    period: z.enum(['daily', 'monthly']),
    mode: z.enum(['soft', 'hard']),
    usd: z.number().positive().optional(),
    tokens: z.number().int().positive().optional(),
    /** A hard USD budget refuses requests to models without a known price unless this is true. */
    allowUnpriced: z.boolean().optional(),
  })
  .refine((b) => b.usd !== undefined || b.tokens !== undefined, { message: 'a budget needs a limit: usd or tokens' });

export type BudgetConfig = z.infer<typeof budgetSchema>;

export interface BudgetCheckInput {
  client: string | null;
  /** The request's worst-case cost in USD, or null when a target it may reach has no known price. */
  estimateUsd: number | null;
  /** The request's worst-case tokens (input plus the most output). */
  estimateTokens: number;
  /** The candidate targets (`provider/model`) without a known price, named in a refusal. */
  unpriced?: string[];
}

export interface BudgetCheck {
  /** Set when a hard budget refuses the request: the message names the budget. */
  hard?: string;
  /** Set with `hard` when the refusal is for an unknown price rather than the limit. */
  unpriced?: boolean;
  /** Warnings from soft budgets the request reaches. */
  soft: string[];
}

/** What a request holds from admission to its end: its worst case, counted against every budget it meets. */
export interface Reservation {
  readonly usd: number;
  readonly tokens: number;
  /** Gives the hold back; only the first call counts. */
  release(): void;
}
