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
    /** Client token name this budget applies to; absent (and no member) = every request (global). */
    client: z.string().min(1).optional(),
    /** Team mode: the member this budget applies to, over every client token that belongs to them. */
    member: z.string().min(1).optional(),
    period: z.enum(['daily', 'monthly']),
    mode: z.enum(['soft', 'hard']),
    usd: z.number().positive().optional(),
    tokens: z.number().int().positive().optional(),
    /** A hard USD budget refuses requests to models without a known price unless this is true. */
    allowUnpriced: z.boolean().optional(),
  })
  .refine((b) => b.usd !== undefined || b.tokens !== undefined, { message: 'a budget needs a limit: usd or tokens' })
  .refine((b) => b.client === undefined || b.member === undefined, {
    message: 'a budget applies to a client or to a member, not both',
    path: ['member'],
  });

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

/** Spend of one scope in one UTC period, as a shared store keeps it (team mode's spend_totals). */
export interface SpendTotal {
  /** '*' (everyone), 'client:NAME' or 'member:NAME'. */
  scope: string;
  /** A UTC day ('2026-11-30') or month ('2026-11'). */
  period: string;
  usd: number;
  /** Requests whose cost is unknown. */
  unknown: number;
  tokens: number;
}

/** Where Budgets reads its totals when the ledger is shared with other instances (team mode). */
export interface TotalsSource {
  /** Every scope's totals for the given day and month. */
  spendTotals(periods: { day: string; month: string }): Promise<SpendTotal[]>;
}

/** What a request asks of a shared hard-budget check: its worst case, held until its row is recorded. */
export interface SharedAdmitInput {
  /** The request's ledger row id: the row's arrival removes the hold (in the same transaction). */
  requestId: string;
  client: string | null;
  member: string | null;
  estimateUsd: number | null;
  estimateTokens: number;
  /** Candidate targets without a known price, named in a refusal. */
  unpriced?: string[];
  /** The budgets to check (only the hard ones that apply to the client or its member are). */
  budgets: readonly BudgetConfig[];
  now: number;
  /** Longest the hold may live when its request never records a row (an instance died). */
  holdMs: number;
}

/** A refusal from a shared hard budget: the message names the budget; `unpriced` when an unknown price is why. */
export interface SharedAdmitResult {
  refused?: { message: string; unpriced: boolean };
}

/**
 * Hard budgets checked where every instance sees the same spend and holds (team mode's database).
 * `admit` rejects (any error) when it cannot decide: the preflight then refuses with a 503, never admits unchecked.
 */
export interface SharedBudgetHolds {
  admit(input: SharedAdmitInput): Promise<SharedAdmitResult>;
}
