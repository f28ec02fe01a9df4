// The app-service contract: what the renderer may ask of the engine, whatever the transport
// (Electron IPC on the desktop, HTTP under `switchboard serve`). The allow-lists of contract-wire.ts
// (re-exported here) are the only calls a transport will forward; anything else is refused.
import type {
  AliasInfo,
  ChatDefaults,
  ChatRequest,
  ChatStreamEvent,
  ClientTokenInfo,
  CreatedToken,
  CreateTokenRequest,
  HealthSnapshot,
  ModelChoice,
  PortInfo,
  PortRequestLogEntry,
  PortSettings,
  ProviderInfo,
  RouteInfo,
  SpendQuery,
  SpendSeries,
  SpendSummary,
  SpendRequest,
  SpendRequestsQuery,
  ToolSetupGuide,
  BudgetSpec,
  BudgetStatus,
  BudgetWarning,
  CatalogInfo,
  Conversation,
  ConversationSummary,
  KeyTestResult,
  KeyInfo,
  AppPreferences,
  ConversationInput,
  ConversationOptions,
  DataLocation,
  ProviderInput,
  ProviderPreset,
  RouteInput,
  Price,
  TeamMemberInfo,
  TeamStatus,
} from './types';
import type {
  ChangeEvent,
  ChangesRequest,
  DiscoveredModel,
  KeyStorageInfo,
  ProviderCreated,
  ProviderDiscovery,
  ProviderSetup,
  ProviderSetupModel,
} from './setup-types';

export interface ModelsService {
  /** Route names first, then every `provider/model` id. */
  list(): Promise<ModelChoice[]>;
}

export interface ProvidersService {
  list(): Promise<ProviderInfo[]>;
  /** Kinds and OpenAI-compatible vendors the user can add. */
  presets(): Promise<ProviderPreset[]>;
  /** Adds a provider (validated with the whole config; settings are written atomically). */
  add(provider: ProviderInput): Promise<void>;
  /** Replaces a provider's kind, base URL and models; its keys stay. */
  update(id: string, provider: ProviderInput): Promise<void>;
  /** Removes a provider; refused while a route uses it. Its keychain keys are deleted too. */
  remove(id: string): Promise<void>;
  /** The provider's model ids as its API lists them now (with its first key). */
  models(id: string): Promise<string[]>;
  /** Tests a provider not yet added (its key, or its keyless server) and lists its models with catalog prices; stores nothing. */
  discover(setup: ProviderSetup): Promise<ProviderDiscovery>;
  /** Adds a provider with its key and models in one step: every check passes and all of it is written, or nothing is. */
  create(setup: ProviderSetup): Promise<ProviderCreated>;
  /** What an added provider's API lists now, with catalog prices and which ones it already offers. */
  available(id: string): Promise<DiscoveredModel[]>;
  /** Adds models to a provider (ids it already offers are skipped); prices that only repeat the catalog are not written. */
  addModels(id: string, models: ProviderSetupModel[]): Promise<ProviderInfo>;
}

export interface RoutesService {
  list(): Promise<RouteInfo[]>;
  /** Creates a route, or replaces the one named `previousName` (a rename keeps its place). */
  save(route: RouteInput, previousName?: string): Promise<void>;
  remove(name: string): Promise<boolean>;
  /** Breaker state per target, key cooldowns and retirements, recent attempt history. */
  health(): Promise<HealthSnapshot>;
  /** Model-name aliases, in the order they are tried. */
  aliases(): Promise<AliasInfo[]>;
}

export interface ChatService {
  /** Streams one reply. Ends after exactly one `done` or `error` event. */
  stream(request: ChatRequest, signal?: AbortSignal): AsyncIterable<ChatStreamEvent>;
  /**
   * Ends the reply streaming under `stopId` (ChatRequest.stopId) early: that stream still closes with a
   * `done` marked `stopped`, carrying what the reply used. False when no such reply is streaming.
   */
  stop(stopId: string): Promise<boolean>;
}

export interface SpendService {
  summary(query: SpendQuery): Promise<SpendSummary>;
  /** Per UTC day over the range (per UTC hour with `bucket: 'hour'`, for ranges up to 31 days), split by the query's `by`. */
  series(query: SpendQuery): Promise<SpendSeries>;
  /** The range's requests as CSV text (one line per request, header first). */
  exportCsv(query: SpendQuery): Promise<string>;
  /** Single requests with their attempts, newest first (a page at a time). */
  requests(query: SpendRequestsQuery): Promise<SpendRequest[]>;
}

export interface BudgetsService {
  list(): Promise<BudgetSpec[]>;
  /** Replaces every budget (validated; a bad list changes nothing). */
  set(budgets: BudgetSpec[]): Promise<void>;
  /** Each budget with what it has used in its current period. */
  status(): Promise<BudgetStatus[]>;
  /** Soft-budget warnings, most recent first. */
  warnings(): Promise<BudgetWarning[]>;
}

export interface KeysService {
  /** Tries the provider's key (by label) against its model list; never returns the key. */
  test(providerId: string, label?: string): Promise<KeyTestResult>;
  /** Stores a key in the OS keychain under the provider and label; answers only its masked form. */
  set(providerId: string, label: string, secret: string): Promise<KeyInfo>;
  /** Removes a keychain key and its entry in the provider's keys. */
  remove(providerId: string, label: string): Promise<boolean>;
  /** Where a pasted key would be kept now (the OS keychain, or this session only) and how to get a keychain. */
  storage(): Promise<KeyStorageInfo>;
}

export interface CatalogService {
  info(): Promise<CatalogInfo>;
  /** Fetches the public price list and providers' model lists; the previous prices stay on failure. */
  refresh(): Promise<CatalogInfo>;
  /** Sets (or with null removes) the user's price for `provider/model`; it wins over every other source. */
  setOverride(model: string, price: Price | null): Promise<CatalogInfo>;
}

export interface ConversationsService {
  list(): Promise<ConversationSummary[]>;
  get(id: string): Promise<Conversation | null>;
  remove(id: string): Promise<boolean>;
  rename(id: string, title: string): Promise<boolean>;
  /** Keeps the first `keep` messages and drops the rest (a regenerate or an edited turn follows). */
  truncate(id: string, keep: number): Promise<boolean>;
  /** Title or message text contains `query`, newest first. */
  search(query: string): Promise<ConversationSummary[]>;
  /** Writes a whole conversation (a compare run): creates it, or replaces its title and messages. */
  put(conversation: ConversationInput): Promise<ConversationSummary>;
  /** Changes a conversation's own model, system prompt or temperature; false when there is no such conversation. */
  setOptions(id: string, options: ConversationOptions): Promise<boolean>;
}

export interface SettingsService {
  /** Providers and routes as config JSON; keys are never part of it. */
  exportConfig(): Promise<string>;
  /** Replaces providers and routes from config JSON; a bad file changes nothing. */
  importConfig(text: string): Promise<void>;
  preferences(): Promise<AppPreferences>;
  /** Validates and stores a change; the proxy applies to the next upstream request. */
  setPreferences(patch: Partial<AppPreferences>): Promise<AppPreferences>;
  dataLocation(): Promise<DataLocation>;
  /** Defaults for new chats (model, system prompt, temperature) and the chat's text size. */
  chatDefaults(): Promise<ChatDefaults>;
  /** Validates and stores a change (a bad patch changes nothing). */
  setChatDefaults(patch: Partial<ChatDefaults>): Promise<ChatDefaults>;
  /** Live: `ready`, then one event per change of providers, routes, keys, prices, tokens and the rest (never ends by itself). */
  changes(request: ChangesRequest, signal?: AbortSignal): AsyncIterable<ChangeEvent>;
}

/** Client tokens for tools that call the local port. */
export interface TokensService {
  /** Mints a token; the returned `token` is the only time it is ever shown. */
  create(request: CreateTokenRequest): Promise<CreatedToken>;
  /** Every token with its spend so far (from the ledger). */
  list(): Promise<ClientTokenInfo[]>;
  /** Stops accepting the token at once; false when no token had that name. */
  revoke(name: string): Promise<boolean>;
}

/** The local port: where it listens, its settings, its recent requests and setup help for tools. */
export interface PortService {
  info(): Promise<PortInfo>;
  updateSettings(patch: Partial<PortSettings>): Promise<PortSettings>;
  /** Recent requests on the port, newest first. */
  requests(limit?: number): Promise<PortRequestLogEntry[]>;
  /** How to point each supported tool at the port (for the UI to show and copy). */
  setupGuides(): Promise<ToolSetupGuide[]>;
  /** Opens or closes the port (same address when reopened); refused where the UI itself is served from it. */
  setEnabled(enabled: boolean): Promise<PortInfo>;
}

/** Team mode (`serve --ledger postgres://…`): the team database, this instance's queue to it, and the members. */
export interface TeamService {
  /** `{ enabled: false }` outside team mode (the desktop app, a `serve` on its own SQLite ledger). */
  status(): Promise<TeamStatus>;
  /** Every member with their tokens and this UTC month's spend; empty outside team mode. */
  members(): Promise<TeamMemberInfo[]>;
}

export interface AppContract {
  models: ModelsService;
  providers: ProvidersService;
  routes: RoutesService;
  chat: ChatService;
  spend: SpendService;
  tokens: TokensService;
  port: PortService;
  budgets: BudgetsService;
  keys: KeysService;
  catalog: CatalogService;
  conversations: ConversationsService;
  settings: SettingsService;
  team: TeamService;
}

export * from './contract-wire';
