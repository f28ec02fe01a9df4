// Where the port listens unless told otherwise. The desktop app, `serve` and `doctor` share it, so a
// tool set up against one finds the port whichever of them started the engine.
export const DEFAULT_PORT = 4848;
