// Whether the engine runs in team mode, asked once when the window opens: the frame shows the Team
// screen only then. Null until the engine answers; one that cannot say (an error, an older engine) is
// taken as not in team mode.
import { useEffect, useState } from 'react';
import type { AppContract } from '../../../shared/contract';

export function useTeamMode(client: AppContract): boolean | null {
  const [enabled, setEnabled] = useState<boolean | null>(null);
  useEffect(() => {
    let live = true;
    // A stand-in client (unit tests) may have no team service at all.
    if (typeof client.team?.status !== 'function') {
      setEnabled(false);
      return;
    }
    client.team.status().then(
      (s) => live && setEnabled(s.enabled === true),
      () => live && setEnabled(false),
    );
    return () => {
      live = false;
    };
  }, [client]);
  return enabled;
}
