// The schemas of settings.json's own keys (tokens, budgets, port, app preferences, chat defaults, price
// overrides); providers, routes and aliases are config-schema.ts's.
import { z } from 'zod';
import type { AppPreferences } from '../../../shared/types';
import { budgetSchema } from '../budgets/types';
import { chatDefaultsSchema } from './chat-defaults';
import { priceSchema } from './config-schema';

const tokenRecordSchema = z.object({
  name: z.string().min(1),
  hash: z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 hex digest'),
  prefix: z.string(),
  createdAt: z.string(),
  allow: z.array(z.string().min(1)).optional(),
  budgetUsd: z.number().nonnegative().optional(),
  budgetAllowUnpriced: z.boolean().optional(),
});
export const portSchema = z.object({
  allowedOrigins: z.array(z.string().regex(/^https?:\/\/[^/\s]+$/, 'an origin like https://example.com')).default([]),
  captureBodies: z.boolean().default(false),
});
const proxyUrl = z.string().regex(/^(https?|socks5?):\/\/[^\s/]+\/?$/, 'a proxy URL like http://127.0.0.1:3128');
export const appSchema = z.object({
  proxy: proxyUrl.nullable().default(null),
  providerProxies: z.record(z.string(), proxyUrl).default({}),
  startOnLogin: z.boolean().default(false),
  closeToTray: z.boolean().default(false),
});
export const APP_DEFAULTS: AppPreferences = { proxy: null, providerProxies: {}, startOnLogin: false, closeToTray: false };
export const tokensSchema = z.array(tokenRecordSchema);
export const extrasSchema = z.object({
  // A member exists only in a team database: there the member's budget lives too (`switchboard member budget`).
  budgets: z
    .array(
      budgetSchema.refine((b) => b.member === undefined, {
        message: 'a member budget lives in the team database: switchboard member budget NAME --usd N --ledger postgres://…',
        path: ['member'],
      }),
    )
    .default([]),
  port: portSchema.default({ allowedOrigins: [], captureBodies: false }),
  app: appSchema.optional(),
  chat: chatDefaultsSchema.optional(),
  priceOverrides: z.record(z.string().regex(/^[^/]+\/.+$/, 'a provider/model id'), priceSchema).default({}),
});
