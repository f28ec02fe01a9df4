// Replies the user can stop through `chat.stop(stopId)`. Unlike cutting the stream (the transport's
// abort), a stop leaves the caller listening: the reply ends early and still sends its `done`, with
// the tokens and cost it used, so a stopped reply keeps its footer.
const MAX_ID_LENGTH = 128;

export class ChatStops {
  private readonly running = new Map<string, AbortController>();

  /** A signal that `stop(stopId)` aborts, and `release` for when the reply ends; none for an unusable or busy id. */
  register(stopId: unknown): { signal: AbortSignal; release(): void } | undefined {
    if (typeof stopId !== 'string' || !stopId || stopId.length > MAX_ID_LENGTH || this.running.has(stopId)) return undefined;
    const controller = new AbortController();
    this.running.set(stopId, controller);
    return {
      signal: controller.signal,
      release: () => {
        if (this.running.get(stopId) === controller) this.running.delete(stopId);
      },
    };
  }

  /** Stops the reply streaming under `stopId`; false when there is none (it may have just ended). */
  stop(stopId: unknown): boolean {
    const controller = typeof stopId === 'string' ? this.running.get(stopId) : undefined;
    if (!controller || controller.signal.aborted) return false;
    controller.abort();
    return true;
  }
}
