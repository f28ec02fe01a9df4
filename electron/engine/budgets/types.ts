// Budget configuration (kept in settings) and the small API every entry point uses before sending.
import { z } from 'zod';

export const budgetSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" or "-"'),
  /** Client token name this budget applies to; absent = every request (global). */
  client: z.string().min(1).optional(),
  period: z.enum(['daily', 'monthly']),
  mode: z.enum(['soft', 'hard']),
  usd: z.number().positive().optional(),
  tokens: z.number().int().positive().optional(),
}).refine((b) => b.usd !== undefined || b.tokens !== undefined, { message: 'a budget needs a limit: usd or tokens' });

export type BudgetConfig = z.infer<typeof budgetSchema>;

export interface BudgetCheckInput {
  client: string | null;
  /** Estimated cost of the request in USD, or null when its price is unknown. */
  estimateUsd: number | null;
  estimateTokens: number;
}

export interface BudgetCheck {
  /** Set when a hard budget refuses the request: the message names the budget. */
  hard?: string;
  /** Warnings from soft budgets the request reaches. */
  soft: string[];
}
