// The team service: what the Team screen shows in team mode (the team database, this instance's queue
// to it, members with their tokens and spend). The database side is a TeamSource the composition root
// hands in; without one (the desktop app, a `serve` on SQLite) team mode is simply off.
import type { TeamService } from '../../../shared/contract';
import type { TeamMemberInfo, TeamStatus } from '../../../shared/types';

/** What team mode provides: its status read from memory, members read from the team database. */
export interface TeamSource {
  status(): TeamStatus;
  members(): Promise<TeamMemberInfo[]>;
}

export function createTeamService(source?: TeamSource): TeamService {
  if (!source) {
    return {
      status: () => Promise.resolve({ enabled: false }),
      members: () => Promise.resolve([]),
    };
  }
  return {
    // A copy, so nothing the renderer's transport does can reach the source's live object.
    status: () => Promise.resolve(structuredClone(source.status())),
    members: () => source.members(),
  };
}
