import { Redis } from 'ioredis';
import type { Logger } from '../log.js';
import { ListenerRegistry, type Listener, type PubSub } from './pubsub.js';

/** Redis pub/sub: one publishing and one subscribing connection per process, channels subscribed while used. */
export class RedisPubSub implements PubSub {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly listeners = new ListenerRegistry();

  constructor(url: string, private readonly prefix: string, log: Logger) {
    // publishing fails fast while Redis is away (the change is committed; clients catch up by resume), instead
    // of queueing and holding the mutation's answer until Redis returns
    this.publisher = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, enableAutoPipelining: true });
    // the subscriber queues, so that its channels are subscribed again when Redis returns
    this.subscriber = new Redis(url, { maxRetriesPerRequest: null, autoResubscribe: true });
    for (const [name, connection] of [['publisher', this.publisher], ['subscriber', this.subscriber]] as const) {
      connection.on('error', (error) => log.warn({ err: error, connection: name }, 'redis connection error'));
    }
    this.subscriber.on('message', (channel: string, raw: string) => {
      if (!channel.startsWith(this.prefix)) return;
      let message: unknown;
      try {
        message = JSON.parse(raw);
      } catch {
        return;
      }
      this.listeners.dispatch(channel.slice(this.prefix.length), message);
    });
  }

  /** Resolves once both connections are up: the server listens only then (its first publish must not fail). */
  async ready(timeoutMs = 10_000): Promise<void> {
    const up = (connection: Redis) =>
      connection.status === 'ready'
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error('Redis did not answer in time (REDIS_URL).')), timeoutMs);
            connection.once('ready', () => {
              clearTimeout(timer);
              resolve();
            });
          });
    await Promise.all([up(this.publisher), up(this.subscriber)]);
  }

  async publish(channel: string, message: unknown): Promise<void> {
    await this.publisher.publish(this.prefix + channel, JSON.stringify(message));
  }

  async subscribe(channel: string, listener: Listener): Promise<() => void> {
    if (this.listeners.add(channel, listener)) await this.subscriber.subscribe(this.prefix + channel);
    return () => {
      if (this.listeners.remove(channel, listener)) void this.subscriber.unsubscribe(this.prefix + channel).catch(() => {});
    };
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.publisher.quit(), this.subscriber.quit()]);
  }
}
