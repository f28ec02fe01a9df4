// Preloaded (node --import) into Node programs under test whose fetch ignores HTTP(S)_PROXY, as Node 20's
// built-in fetch does: undici's EnvHttpProxyAgent becomes the global dispatcher, so whatever they send
// beyond loopback goes to the sandbox's egress trap (and is refused there) instead of out to the network.
import { EnvHttpProxyAgent, setGlobalDispatcher } from 'undici';

setGlobalDispatcher(new EnvHttpProxyAgent());
