// How the port bench's report writes numbers: fixed digits, a sign on "added" figures, ratios, verdicts.
export const f = (n: number, d = 2): string => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
export const signed = (n: number, d = 3): string => (Number.isFinite(n) ? `${n >= 0 ? '+' : ''}${n.toFixed(d)}` : 'n/a');
export const ratio = (a: number, b: number): string => (Number.isFinite(a / b) && b !== 0 ? `${(a / b).toFixed(2)}x` : 'n/a');
export const verdict = (ok: boolean): string => (ok ? 'MET' : 'NOT MET');
