// The spend service: what the ledger says was spent (summary, series, single requests) and the CSV export.
import type { SpendService } from '../../../shared/contract';
import type { ServiceParts } from './service-parts';

/** Above this many rows the UI should page; the CLI streams instead (`switchboard spend --csv`). */
const CSV_ROW_LIMIT = 200_000;

export function createSpendService({ ledger }: Pick<ServiceParts, 'ledger'>): SpendService {
  return {
    summary: async (query) => ledger.spend(query ?? {}),
    series: async (query) => ledger.series(query ?? {}),
    requests: async (query) => ledger.requests(query ?? {}),
    async exportCsv(query) {
      const lines: string[] = [];
      for (const line of await ledger.csv(query ?? {})) {
        if (lines.length > CSV_ROW_LIMIT)
          throw new Error(`more than ${CSV_ROW_LIMIT} requests in this range: narrow it, or use \`switchboard spend --csv\``);
        lines.push(line);
      }
      return `${lines.join('\r\n')}\r\n`;
    },
  };
}
