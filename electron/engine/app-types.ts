// The composition root's public shape, shared by `serve`, the Electron shell and tests.
import type { AppContract } from '../../shared/contract';
import type { PortLimits } from './gateway/context';
import type { RequestLog } from './gateway/request-log';
import type { ImageFetchOptions } from './providers/image-fetch';
import type { Keychain } from './vault/keychain';

export interface AppOptions {
  /** Where settings.json and ledger.db live. */
  dataDir: string;
  /** A config JSON file to seed providers and routes from (replaces those in settings). */
  configFile?: string;
  /**
   * Team mode: a postgres:// URL whose database keeps requests, client tokens, members and budgets for
   * every instance pointed at it (the config file's `ledger` when this is absent). Conversations stay local.
   */
  ledger?: string;
  /** This instance's name in the team ledger's rows (defaults to host:pid). */
  instance?: string;
  /** Port to listen on; 0 picks a free one. Omit (undefined) to not start the port at all. */
  port?: number;
  host?: string;
  /** Where the built renderer is, to serve it at `/` (serve mode). */
  rendererDir?: string;
  /** Environment to read `env` keys from (defaults to process.env). */
  env?: NodeJS.ProcessEnv;
  /** The OS keychain to keep keys in (defaults to the real one; tests hand in a fake one, e.g. one that is unavailable). */
  keychain?: Keychain;
  /** Overrides of the port's body/header limits and slow-client timeouts (tests shorten them). */
  portLimits?: Partial<PortLimits>;
  /** Where catalog refresh reads the public price list (tests point it at a loopback fake). */
  priceListUrl?: string;
  /**
   * How inline images are resolved and connected to (tests map names to public addresses and answer
   * from loopback fakes). The public-address rule applies whatever is set here.
   */
  imageFetch?: ImageFetchOptions;
}

export interface App {
  services: AppContract;
  /** Present when a port was requested. */
  gateway?: { url: string; host: string; port: number };
  /** The port's recent requests (refusals included), for the UI and `serve --log`. */
  requestLog: RequestLog;
  /** Present in team mode: the team database (redacted) and this instance's name in it. */
  team?: { database: string; instance: string };
  /** One-time admin token for the UI over HTTP (`/?token=...`); regenerated each start. */
  adminToken: string;
  close(): Promise<void>;
}
