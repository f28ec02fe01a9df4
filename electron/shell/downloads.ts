// Files the desktop window saves (the spend CSV export) are written by Chromium's download manager
// with the user's umask, often 0644: each is made 0600 once complete, like the ledger it comes from.
import type { Session } from 'electron';
import { tightenFile } from '../engine/private-files';

export function keepDownloadsPrivate(session: Session): void {
  session.on('will-download', (_event, item) => {
    item.once('done', (_done, state) => {
      if (state !== 'completed') return;
      try {
        tightenFile(item.getSavePath());
      } catch (error) {
        // A file saved somewhere we cannot chmod (another user's folder) is still saved; only say so.
        console.error(`switchboard: could not make ${item.getSavePath()} private: ${(error as Error).message}`);
      }
    });
  });
}
