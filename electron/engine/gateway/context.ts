// What the gateway's handlers need from the engine, passed in by the composition root.
import type { AppContract } from '../../../shared/contract';
import type { RoutingParts } from '../routed';
import type { RouterHealth } from '../router/health';
import type { PortSettingsData } from '../settings/types';
import type { ClientAccess } from './client-access';
import type { RequestLog } from './request-log';

/** The port's protective limits; tests shorten the timeouts. */
export interface PortLimits {
  /** Larger bodies get 413 (large enough for a prompt with a few images). */
  maxBodyBytes: number;
  /** A body that pauses longer than this between chunks gets 408. */
  bodyIdleMs: number;
  /** The whole body must arrive within this (a body trickled a byte at a time never pauses long). */
  bodyTotalMs: number;
  /** Headers must arrive within this (slowloris). */
  headersTimeoutMs: number;
  /** Total header bytes; larger gets 431. */
  maxHeaderBytes: number;
  /**
   * Open client connections at most; past it the longest-connected idle one is closed for the newcomer.
   * Undefined: three quarters of the process's file-descriptor limit (the rest is for upstreams and files), at most 4096.
   */
  maxConnections?: number;
}

export const DEFAULT_LIMITS: PortLimits = {
  maxBodyBytes: 20 * 1024 * 1024,
  bodyIdleMs: 30_000,
  bodyTotalMs: 30_000,
  headersTimeoutMs: 15_000,
  maxHeaderBytes: 32 * 1024,
};

/** The engine's routing parts (routed.ts), and what only the port needs. */
export interface GatewayContext extends RoutingParts {
  /** Client token -> what that client may do, or undefined when the token is unknown or revoked. */
  clientFor(token: string): ClientAccess | undefined;
  /** Allowed browser Origins and body capture (read on change, not per request). */
  portSettings?(): PortSettingsData;
  adminToken: string;
  services: AppContract;
  rendererDir?: string;
  /** Where the port's recent requests are kept for the UI (the gateway creates one if absent). */
  requestLog?: RequestLog;
  /**
   * Health of count_tokens calls, apart from the routes' (Anthropic limits token counting separately
   * from messages, so its 429 must not cool a key for messages).
   */
  countTokensHealth: RouterHealth;
  limits?: Partial<PortLimits>;
}
