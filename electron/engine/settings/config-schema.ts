// Schema of the config JSON (`serve --config FILE`) and of the providers/routes kept in settings.
// Errors name the offending field (e.g. `providers[0].baseUrl`), so a bad file is easy to fix.
import path from 'node:path';
import { z } from 'zod';
import { PRESETS } from '../providers/presets';
import { issueLines } from './zod-issues';

// Settings and config are parsed a few times per process, never per request: zod's compiled fast path
// costs more to build (tens of ms at start-up, before the port can answer) than it ever saves here.
z.config({ jitless: true });

export const PROVIDER_KINDS = ['openai', 'openai-compatible', 'anthropic', 'gemini', 'ollama', 'azure-openai'] as const;

/** OpenAI-compatible vendors with a known base URL: the id alone is enough. */
const PRESET_IDS: ReadonlySet<string> = new Set(PRESETS.map((p) => p.id));

const idPattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** A model's price in USD per million tokens (config, settings and user overrides alike). */
export const priceSchema = z.strictObject({
  input: z.number().nonnegative().optional(),
  output: z.number().nonnegative().optional(),
  cacheRead: z.number().nonnegative().optional(),
  cacheWrite: z.number().nonnegative().optional(),
  cacheWrite1h: z.number().nonnegative().optional(),
  reasoning: z.number().nonnegative().optional(),
});

const modelSchema = z.strictObject({
  id: z.string().min(1),
  contextWindow: z.number().int().positive().optional(),
  price: priceSchema.optional(),
});

/**
 * A key is read at request time from an environment variable or from a file only the service user can
 * read (servers: vault/file-keys.ts), or kept in the OS keychain.
 */
const keySchema = z.union(
  [
    z.strictObject({
      env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name'),
      label: z.string().min(1).optional(),
    }),
    z.strictObject({
      // Absolute, because a relative path would depend on the directory the service happens to start in.
      file: z
        .string()
        .refine(
          (p) => path.isAbsolute(p) && !p.includes('\0'),
          'an absolute path to a file holding the key (e.g. /etc/switchboard/keys/openai)',
        ),
      label: z.string().min(1).optional(),
    }),
    z.strictObject({ keychain: z.literal(true), label: z.string().min(1).optional() }),
  ],
  { error: 'a key is { "env": "NAME" }, { "file": "/absolute/path" } or { "keychain": true }, each with an optional "label"' },
);

export const providerSchema = z.strictObject({
  id: z.string().regex(idPattern, 'letters, digits, ".", "_" or "-"'),
  kind: z.enum(PROVIDER_KINDS),
  baseUrl: z.url().optional(),
  keys: z.array(keySchema).default([]),
  models: z.array(modelSchema).default([]),
});

const strategySchema = z.enum(['fallback', 'weighted', 'lowest-latency', 'lowest-cost']);
const leafSchema = z.strictObject({ provider: z.string().min(1), model: z.string().min(1), weight: z.number().positive().optional() });
/** A nested group is one step of its route: e.g. a weighted pair as the first step of a fallback chain. */
const groupSchema = z.strictObject({
  group: z.strictObject({ strategy: strategySchema.default('weighted'), targets: z.array(leafSchema).min(1) }),
  weight: z.number().positive().optional(),
});

/** Per-route timeouts (ms); every one has a default in router/timeouts.ts. */
const timeoutsSchema = z.strictObject({
  connectMs: z.number().int().positive().optional(),
  firstTokenMs: z.number().int().positive().optional(),
  idleMs: z.number().int().positive().optional(),
  totalMs: z.number().int().positive().optional(),
});

export const routeSchema = z.strictObject({
  name: z.string().regex(idPattern, 'letters, digits, ".", "_" or "-"'),
  strategy: strategySchema.default('fallback'),
  targets: z.array(z.union([leafSchema, groupSchema])).min(1),
  timeouts: timeoutsSchema.optional(),
  /** A context-length error moves on to a target with a larger window (default true). */
  contextFallback: z.boolean().optional(),
  /** Follow-up turns of one conversation go to the target that served it, while healthy (default true). */
  sticky: z.boolean().optional(),
});

/** `claude-*` -> `coding`: a model name (exact, or with `*` wildcards) mapped to a route or provider/model. */
const aliasSchema = z.strictObject({ match: z.string().min(1), to: z.string().min(1) });

/** Engine-wide breaker and cooldown tuning (router/health.ts has the defaults). */
const healthSchema = z.strictObject({
  failureThreshold: z.number().int().positive().optional(),
  failureRate: z.number().min(0).max(1).optional(),
  windowMs: z.number().int().positive().optional(),
  openMs: z.number().int().positive().optional(),
  maxCooldownMs: z.number().int().nonnegative().optional(),
  defaultRateLimitMs: z.number().int().nonnegative().optional(),
});

export const configSchema = z
  .strictObject({
    providers: z.array(providerSchema).default([]),
    routes: z.array(routeSchema).default([]),
    aliases: z.array(aliasSchema).optional(),
    health: healthSchema.optional(),
    /**
     * Team mode (`serve` only): the PostgreSQL database that keeps requests, tokens, members and budgets
     * for every instance pointed at it. Prefer PGPASSWORD or ~/.pgpass to a password in the URL.
     */
    ledger: z
      .string()
      .regex(/^postgres(ql)?:\/\//i, 'a postgres:// URL (postgres://user@host:5432/db)')
      .optional(),
  })
  .superRefine((config, ctx) => {
    const ids = new Set<string>();
    config.providers.forEach((p, i) => {
      if (ids.has(p.id)) ctx.addIssue({ code: 'custom', path: ['providers', i, 'id'], message: `duplicate provider id "${p.id}"` });
      ids.add(p.id);
      if ((p.kind === 'azure-openai' || (p.kind === 'openai-compatible' && !PRESET_IDS.has(p.id))) && !p.baseUrl) {
        ctx.addIssue({
          code: 'custom',
          path: ['providers', i, 'baseUrl'],
          message: `a ${p.kind} provider needs a baseUrl${p.kind === 'openai-compatible' ? ` (or an id naming a preset: ${[...PRESET_IDS].join(', ')})` : ''}`,
        });
      }
    });
    const names = new Set<string>();
    config.routes.forEach((r, i) => {
      if (names.has(r.name)) ctx.addIssue({ code: 'custom', path: ['routes', i, 'name'], message: `duplicate route name "${r.name}"` });
      names.add(r.name);
      if (r.name.includes('/')) ctx.addIssue({ code: 'custom', path: ['routes', i, 'name'], message: 'a route name may not contain "/"' });
    });
    config.aliases?.forEach((a, i) => {
      const slash = a.to.indexOf('/');
      const ok = names.has(a.to) || (slash > 0 && ids.has(a.to.slice(0, slash)));
      if (!ok)
        ctx.addIssue({
          code: 'custom',
          path: ['aliases', i, 'to'],
          message: `"${a.to}" is neither a route name nor provider/model of a configured provider`,
        });
    });
  });

export type ProviderConfig = z.infer<typeof providerSchema>;
export type RouteConfig = z.infer<typeof routeSchema>;
export type RouteStep = RouteConfig['targets'][number];
export type RouteTimeouts = z.infer<typeof timeoutsSchema>;
export type AliasConfig = z.infer<typeof aliasSchema>;
export type HealthConfig = z.infer<typeof healthSchema>;
export type KeyConfig = z.infer<typeof keySchema>;
export type ModelConfig = z.infer<typeof modelSchema>;
export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(
    message: string,
    readonly issues: string[],
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Parses an already-decoded JSON value; throws ConfigError whose lines each name a field. */
export function parseConfig(value: unknown, source = 'config'): Config {
  const result = configSchema.safeParse(value);
  if (result.success) return result.data;
  const issues = issueLines(result.error);
  throw new ConfigError(`${source} is not valid:\n  ${issues.join('\n  ')}`, issues);
}

/** Parses config text (JSON); a syntax error is reported with the file name. */
export function parseConfigText(text: string, source = 'config'): Config {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${source} is not valid JSON: ${(error as Error).message}`, []);
  }
  return parseConfig(value, source);
}
