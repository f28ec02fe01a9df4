// What the engine uses of undici, and nothing else: the CLI bundle (scripts/build.mjs) maps `undici`
// here, so `switchboard serve` does not load fetch, WebSocket, cookies, caches and mocks at start.
// electron/engine/providers/undici-slim.test.ts keeps this list equal to what the engine imports.
'use strict';

const Dispatcher = require('undici/lib/dispatcher/dispatcher');
const api = require('undici/lib/api');

// As undici's own index does: request(), stream()... on every dispatcher.
Object.assign(Dispatcher.prototype, api);

module.exports = {
  Agent: require('undici/lib/dispatcher/agent'),
  ProxyAgent: require('undici/lib/dispatcher/proxy-agent'),
  Client: require('undici/lib/dispatcher/client'),
  errors: require('undici/lib/core/errors'),
};
