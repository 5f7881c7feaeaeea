import type { MikroORM } from '@mikro-orm/postgresql';
import { forbidden } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { Metrics } from '../../metrics.js';
import type { LiveAudiences } from '../../policy/live-facts.js';
import type { Viewer } from '../../policy/viewer.js';
import { channels, type ThreadEventMessage, type WorkspaceEventMessage } from '../../realtime/channels.js';
import type { PubSub } from '../../realtime/pubsub.js';
import { endsAccess } from '../live.js';
import type { ThreadService } from './thread.service.js';

/** A subscriber in a room: delivers an event itself, synchronously when it can (a shared result is ready). */
export interface RoomMember {
  readonly viewer: Viewer;
  /** delivers at once and says so, or returns false when the event must be executed for this member first */
  tryDeliver(event: ThreadEventMessage): boolean;
  deliver(event: ThreadEventMessage): Promise<void>;
  end(error?: Error): void;
}

/** last: the newest seq this member has (a client resuming may be ahead of this room, which opened later) */
type Seat = { member: RoomMember; last: number; catchingUp: ThreadEventMessage[] | null };

/**
 * One per thread per process, for the shared messageEvents subscriptions: it listens once, puts the thread's
 * events in seq order once (filling a hole from PostgreSQL once), checks each subscriber's access from memory,
 * and hands each event to all subscribers in one synchronous pass. Only members that see something no one before
 * them saw wait for an execution. A subscriber resuming with afterSeq replays from PostgreSQL first, while live
 * events wait for it, so the seam has no gap and no duplicate.
 */
class ThreadRoom {
  private readonly seats = new Set<Seat>();
  /** the newest seq handed to seats */
  private last = 0;
  /** the newest seq put in the queue: every seq up to it is there, or was delivered */
  private queued = 0;
  /** events that arrived before one with a lower seq, by seq, until it comes or is read from the database */
  private readonly ahead = new Map<number, ThreadEventMessage>();
  private holeTimer: NodeJS.Timeout | null = null;
  /** what is heard while the room opens; null once it is open */
  private early: ThreadEventMessage[] | null = [];
  private ready: Promise<void>;
  private queue = Promise.resolve();
  private stop: (() => void)[] = [];
  /** joins waiting for the room to open: the room stays while they wait */
  private joining = 0;

  constructor(private readonly deps: RoomDeps, readonly threadId: string, readonly workspaceId: string) {
    this.ready = this.open();
  }

  get size() {
    return this.seats.size + this.joining;
  }

  /** An event of this thread, from the pubsub or from a post in this process (the same event twice is heard once). */
  hear(event: ThreadEventMessage) {
    if (this.early) this.early.push(event);
    else this.enqueue(event);
  }

  private async open() {
    // listen first, then read where the thread stands: nothing committed in between is lost
    this.stop.push(await this.deps.pubsub.subscribe(channels.thread(this.threadId), (message) => this.hear(message as ThreadEventMessage)));
    this.stop.push(
      await this.deps.pubsub.subscribe(channels.workspace(this.workspaceId), (message) => {
        for (const seat of this.seats) if (endsAccess(message as WorkspaceEventMessage, seat.member.viewer)) this.evict(seat);
      }),
    );
    this.last = this.queued = await this.deps.threads.currentSeq(this.deps.orm.em.fork(), this.threadId);
    const early = this.early!;
    this.early = null;
    for (const event of early) this.enqueue(event);
  }

  private enqueue(event: ThreadEventMessage) {
    if (event.seq <= this.queued || this.ahead.has(event.seq)) return;
    // events are delivered one after the other, but what they need loads at once: under load the executions of
    // several events then finish in one turn, and their frames leave each socket together (live-delivery.ts)
    this.deps.prefetch(event);
    this.ahead.set(event.seq, event);
    this.release();
  }

  /** Queues the events that follow the queue without a hole; the others wait for what is missing. */
  private release() {
    for (let next = this.ahead.get(this.queued + 1); next; next = this.ahead.get(this.queued + 1)) {
      const event = next;
      this.ahead.delete(event.seq);
      this.queued = event.seq;
      this.schedule(() => this.dispatch(event));
    }
    if (this.ahead.size === 0) {
      if (this.holeTimer) clearTimeout(this.holeTimer);
      this.holeTimer = null;
    } else {
      // Publishes overtake each other (posts commit in seq order, but their publishes race): the one overtaken is
      // nearly always a few milliseconds behind. Reading it from the database at once would hold every event
      // behind that read, so it is awaited a little, and only what still has not come is read.
      this.holeTimer ??= setTimeout(() => this.fillHole(), HOLE_WAIT_MS);
    }
  }

  /** What is still missing before the events that came ahead: from the database, once for everyone. */
  private fillHole() {
    this.holeTimer = null;
    if (this.ahead.size === 0) return;
    const after = this.queued;
    const until = Math.min(...this.ahead.keys());
    // the hole is the queue's from here: a late publish of an event in it is ignored
    this.queued = until - 1;
    this.schedule(async () => {
      for (let from = after; from < until - 1; ) {
        const page = await this.deps.threads.eventsAfter(this.deps.orm.em.fork(), this.threadId, from, until);
        if (page.length === 0) break;
        this.deps.metrics?.eventsReadForLostPublishes.inc(page.length);
        for (const missed of page) await this.dispatch(missed);
        from = page[page.length - 1].seq;
      }
    });
    this.release();
  }

  private schedule(work: () => Promise<void>) {
    this.queue = this.queue.then(work).catch((error) => this.deps.log.error({ err: error, threadId: this.threadId }, 'thread room failed an event'));
  }

  private async dispatch(event: ThreadEventMessage) {
    if (event.seq <= this.last) return;
    this.last = event.seq;
    let waiting: Seat[] = [];
    let executed = false;
    // Seats that join while the first execution is awaited are seen by this loop (a Set's iteration goes on to
    // what is added) and skipped: they start after this event. Seats that leave meanwhile are not seen.
    for (const seat of this.seats) {
      if (seat.catchingUp) {
        seat.catchingUp.push(event);
        continue;
      }
      if (event.seq <= seat.last) continue;
      if (!this.deps.live.mayRead(seat.member.viewer, this.workspaceId)) {
        this.evict(seat);
        continue;
      }
      seat.last = event.seq;
      if (seat.member.tryDeliver(event)) continue;
      // the first seat that finds no result executes it at once: the seats after it (most of them, seeing it the
      // same way) are then served in this same pass, not in a second one
      if (executed) waiting.push(seat);
      else {
        executed = true;
        await seat.member.deliver(event).catch((error) => this.evict(seat, error));
      }
    }
    // one execution per way of seeing the event; everyone who sees it the same way is then served synchronously
    while (waiting.length > 0) {
      const [first, ...rest] = waiting;
      await first.member.deliver(event).catch((error) => this.evict(first, error));
      waiting = rest.filter((seat) => this.seats.has(seat) && !seat.member.tryDeliver(event));
    }
  }

  private evict(seat: Seat, error: Error = accessEnded(seat.member.viewer)) {
    if (!this.seats.delete(seat)) return;
    seat.member.end(error);
    this.deps.onEmpty(this);
  }

  /** Seats a member from `afterSeq` (replaying what it missed) or from now; leave(seat) gives the seat back. */
  async join(member: RoomMember, afterSeq: number | null | undefined): Promise<Seat> {
    this.joining++;
    try {
      await this.ready;
    } finally {
      this.joining--;
    }
    const from = afterSeq === null || afterSeq === undefined ? this.last : Math.max(0, afterSeq);
    const seat: Seat = { member, last: from, catchingUp: from >= this.last ? null : [] };
    this.seats.add(seat);
    if (seat.catchingUp) void this.catchUp(seat, from);
    return seat;
  }

  /** Whether the seat was taken (once: true the first time only); an emptied room may close. */
  leave(seat: Seat): boolean {
    if (!this.seats.delete(seat)) return false;
    this.deps.onEmpty(this);
    return true;
  }

  private async catchUp(seat: Seat, afterSeq: number) {
    try {
      let last = afterSeq;
      const db = () => this.deps.orm.em.fork();
      for (let page = await this.deps.threads.eventsAfter(db(), this.threadId, last); page.length > 0; page = await this.deps.threads.eventsAfter(db(), this.threadId, last)) {
        for (const event of page) {
          if (!this.seats.has(seat)) return;
          await seat.member.deliver(event);
          last = event.seq;
        }
      }
      // the live events that came meanwhile, then live: the room delivers from here on
      for (let buffered = seat.catchingUp!; buffered.length > 0; ) {
        const event = buffered.shift()!;
        if (event.seq <= last) continue;
        if (event.seq > last + 1) for (const missed of await this.deps.threads.eventsAfter(db(), this.threadId, last, event.seq)) await seat.member.deliver(missed);
        await seat.member.deliver(event);
        last = event.seq;
      }
      seat.last = last;
      seat.catchingUp = null;
    } catch (error) {
      this.evict(seat, error as Error);
    }
  }

  close() {
    if (this.holeTimer) clearTimeout(this.holeTimer);
    for (const stop of this.stop) stop();
  }
}

const accessEnded = (viewer: Viewer) =>
  forbidden(viewer.kind === 'partner' ? 'This workspace no longer grants you access.' : 'You are no longer a member of this workspace.');

/** how long events wait for one that an overtaking publish left behind, before it is read from the database */
const HOLE_WAIT_MS = 25;

type RoomDeps = {
  pubsub: PubSub;
  live: LiveAudiences;
  orm: MikroORM;
  log: Logger;
  threads: ThreadService;
  metrics?: Metrics;
  /** starts loading what executing the event will need, as it arrives (see enqueue) */
  prefetch: (event: ThreadEventMessage) => void;
  onEmpty: (room: ThreadRoom) => void;
};

/** The rooms of this process, made on the first subscriber of a thread and closed after the last. */
export class ThreadRooms {
  private readonly rooms = new Map<string, ThreadRoom>();
  constructor(private readonly deps: Omit<RoomDeps, 'onEmpty'>) {}

  /**
   * Seats the member in the thread's room and holds the workspace's audience (the room checks each event's
   * access against it) until the returned function is called. Nothing is held when joining fails, and a room
   * that could not open is not kept for the next subscriber.
   */
  async join(threadId: string, workspaceId: string, member: RoomMember, afterSeq: number | null | undefined): Promise<() => void> {
    await this.deps.live.hold(member.viewer, workspaceId);
    let room = this.rooms.get(threadId);
    if (!room) {
      room = new ThreadRoom({ ...this.deps, onEmpty: (r) => this.closeIfEmpty(r) }, threadId, workspaceId);
      this.rooms.set(threadId, room);
    }
    let seat: Seat;
    try {
      seat = await room.join(member, afterSeq);
    } catch (error) {
      this.deps.live.letGo(member.viewer, workspaceId);
      this.closeIfEmpty(room);
      throw error;
    }
    // one function per seat: the room says whether the seat was still taken, so the audience is let go once
    const joined = room;
    return () => {
      if (joined.leave(seat)) this.deps.live.letGo(member.viewer, workspaceId);
    };
  }

  /**
   * A post's own process hears its event at once, without waiting for the pubsub to bring it back: the other
   * processes hear it through the pubsub, and this one again, which its room ignores.
   */
  hear(event: ThreadEventMessage) {
    this.rooms.get(event.threadId)?.hear(event);
  }

  private closeIfEmpty(room: ThreadRoom) {
    if (room.size > 0 || this.rooms.get(room.threadId) !== room) return;
    this.rooms.delete(room.threadId);
    room.close();
  }
}
