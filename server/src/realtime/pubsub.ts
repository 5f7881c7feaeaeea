/**
 * The doorbell between server processes: PostgreSQL holds the truth, the pubsub only says "look, something
 * happened". In one process it is an in-memory map; with REDIS_URL it is Redis pub/sub, so N processes serve one chat.
 */
export type Listener = (message: unknown) => void;

export interface PubSub {
  publish(channel: string, message: unknown): Promise<void>;
  /** Resolves once messages on the channel are being received; the returned function stops listening. */
  subscribe(channel: string, listener: Listener): Promise<() => void>;
  close(): Promise<void>;
}

/** Local listeners per channel, shared by both implementations. */
export class ListenerRegistry {
  private readonly byChannel = new Map<string, Set<Listener>>();

  /** Returns true when this is the channel's first listener. */
  add(channel: string, listener: Listener): boolean {
    let set = this.byChannel.get(channel);
    const first = !set;
    if (!set) this.byChannel.set(channel, (set = new Set()));
    set.add(listener);
    return first;
  }

  /** Returns true when the channel has no listener left. */
  remove(channel: string, listener: Listener): boolean {
    const set = this.byChannel.get(channel);
    if (!set) return false;
    set.delete(listener);
    if (set.size > 0) return false;
    this.byChannel.delete(channel);
    return true;
  }

  dispatch(channel: string, message: unknown): void {
    const set = this.byChannel.get(channel);
    if (!set) return;
    for (const listener of [...set]) listener(message);
  }
}

export class InProcessPubSub implements PubSub {
  private readonly listeners = new ListenerRegistry();

  async publish(channel: string, message: unknown): Promise<void> {
    // delivered on a later tick, as over a network: publishers never run subscribers' code inline
    const copy = JSON.parse(JSON.stringify(message));
    queueMicrotask(() => this.listeners.dispatch(channel, copy));
  }

  async subscribe(channel: string, listener: Listener): Promise<() => void> {
    this.listeners.add(channel, listener);
    return () => void this.listeners.remove(channel, listener);
  }

  async close(): Promise<void> {}
}

/**
 * Rings the doorbell after a commit. The change is stored already, so a pubsub outage is logged and never
 * becomes the caller's error: clients catch up from PostgreSQL when they resume.
 */
export async function ring(deps: { pubsub: PubSub; log: { warn(obj: object, msg: string): void } }, channel: string, message: unknown): Promise<void> {
  await deps.pubsub.publish(channel, message).catch((error) => deps.log.warn({ err: error, channel }, 'publish failed'));
}
