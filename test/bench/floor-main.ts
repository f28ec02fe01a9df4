// The floor proxy as a process of its own, bundled from this file and floor-proxy.ts alone
// (scripts/bench.mjs bundles it), so that its memory and start-up are a bare proxy's and not the bench's.
import { startFloorProxy } from './floor-proxy';

void startFloorProxy().then((url) => console.log(JSON.stringify({ url })));
