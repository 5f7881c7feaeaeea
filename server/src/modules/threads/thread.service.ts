import { randomUUID } from 'node:crypto';
import { ref, UniqueConstraintViolationException, type Ref } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { badInput, notFound } from '../../errors.js';
import { PlainEntities } from '../../db/plain-entities.js';
import { preparedRows } from '../../db/prepared.js';
import type { Logger } from '../../log.js';
import { abilities, ensure, memberRole, readerRole } from '../../policy/abilities.js';
import type { PolicyContext } from '../../policy/facts.js';
import { asPerson, type WorkspaceRole } from '../../policy/viewer.js';
import { channels, type MessageEventKind, type ThreadEventMessage } from '../../realtime/channels.js';
import { ring, type PubSub } from '../../realtime/pubsub.js';
import { decodeCursor, encodeCursor, pageByCreation, pageSize, toConnection, type Connection } from '../pagination.js';
import { isUuid, lineText, multilineText, parseInput } from '../validation.js';
import { User } from '../users/user.entity.js';
import type { WorkspaceService } from '../workspaces/workspace.service.js';
import { Workspace } from '../workspaces/workspace.entity.js';
import { MessageEventRecord } from './message-event.entity.js';
import { Message } from './message.entity.js';
import { Thread } from './thread.entity.js';

const threadInput = z.object({ workspaceId: z.string(), title: lineText('Title', 200) });
// a message may span lines; its length counts after trimming
const messageBody = multilineText('A message', 10_000);
const postInput = z.object({
  threadId: z.string(),
  body: messageBody,
  clientId: lineText('clientId', 64).nullish(),
});

export type MessagePage = { last?: number | null; before?: string | null; first?: number | null; after?: string | null };

/** A page of a thread's messages as asked for, checked: direction, size and the seq it starts after. */
function pageOf(args: MessagePage) {
  const forward = args.first != null || args.after != null;
  const limit = forward ? pageSize(args.first, 50, 'first') : pageSize(args.last, 50, 'last');
  const cursor = decodeCursor(forward ? args.after : args.before, forward ? 'after' : 'before');
  const seq = cursor ? Number(cursor[0]) : null;
  if (seq !== null && !Number.isSafeInteger(seq)) throw badInput(`${forward ? 'after' : 'before'} is not a valid cursor.`, forward ? 'after' : 'before');
  return { forward, limit, seq, hasCursor: cursor !== null, key: `${forward}:${limit}:${seq}` };
}
type PagePlan = ReturnType<typeof pageOf>;

/** The page's condition on `m` (after the thread's) and its limit: one more than shown, to know whether more exist. */
const pageWhere = (page: PagePlan) => `${page.seq === null ? '' : ` and m.seq ${page.forward ? '>' : '<'} ?`} order by m.seq ${page.forward ? 'asc' : 'desc'} limit ?`;
const pageParams = (page: PagePlan) => [...(page.seq === null ? [] : [page.seq]), page.limit + 1];

const attempt = <T>(make: () => T): T | null => {
  try {
    return make();
  } catch {
    return null;
  }
};

/** An author's columns (u) and whether they are a member of the thread's (t) workspace: what the name rule asks. */
const authorColumns = (plain: PlainEntities) =>
  `${plain.columns(User, 'u')}, exists (select 1 from membership where workspace_id = t.workspace_id and user_id = u.id) as author_is_member`;

/** A message row's columns: the message (m), its author (u) and the workspace of its thread (t). */
const messageColumns = (plain: PlainEntities) => `${plain.columns(Message, 'm')}, ${authorColumns(plain)}, t.workspace_id`;

/**
 * The thread with the viewer's role, and the page of messages when asked: the messages, and their authors (each
 * once, with whether they are members of the thread's workspace), as two JSON arrays of arrays, which parse
 * faster than a row per message with the thread's and the author's columns repeated in each, and than objects
 * with every column's name. One text per shape (with a page or not, its direction, with a cursor or not), built
 * once. Each author is looked up by key (`offset 0` keeps the planner from joining the page to a scan of all users,
 * which it prefers in the plan kept for every page size).
 */
const threadStatements = new Map<string, string>();
function threadStatement(plain: PlainEntities, page: PagePlan | null): string {
  const shape = page ? `${page.forward}:${page.seq === null}` : '';
  let sql = threadStatements.get(shape);
  if (sql) return sql;
  const thread = `select thread.*, (select role from membership where workspace_id = thread.workspace_id and user_id = ?) as viewer_role from thread where id = ?`;
  sql = page
    ? `with t as (${thread}),
            page as (select m.* from message m where m.thread_id = (select id from t)${pageWhere(page)})
       select ${plain.columns(Thread, 't')}, t.viewer_role,
              (select coalesce(json_agg(${plain.jsonArray(Message, 'm')} order by m.seq ${page.forward ? 'asc' : 'desc'}), '[]') from page m) as messages,
              (select coalesce(json_agg(json_build_array(${plain.jsonArray(User, 'u')}, exists (select 1 from membership where workspace_id = t.workspace_id and user_id = u.id))), '[]')
                 from (select distinct author_id from page) pa cross join lateral (select * from users u where u.id = pa.author_id offset 0) u) as authors
         from t`
    : `select ${plain.columns(Thread, 't')}, t.viewer_role from (${thread}) t`;
  threadStatements.set(shape, sql);
  return sql;
}

type ReadMessages = { messages: Message[]; members: Set<string> };

/** Authors as references, each once, and which of them are members of the thread's workspace (what the name rule asks). */
function authorsOf(entries: Iterable<readonly [User, boolean]>) {
  const authors = new Map<string, Ref<User>>();
  const members = new Set<string>();
  for (const [author, isMember] of entries) {
    authors.set(author.id, ref(author));
    if (isMember) members.add(author.id);
  }
  return { authors, members };
}

/**
 * Messages (`m.` columns) with their authors (`u.` columns and author_is_member), each author built once, in the
 * messages' order; and which authors are members of the workspace.
 */
function messagesFromRows(plain: PlainEntities, rows: Record<string, unknown>[], thread?: Thread): ReadMessages {
  const threadRef = thread ? ref(thread) : undefined;
  const authorRows = new Map<string, Record<string, unknown>>();
  for (const row of rows) if (row['u.id'] && !authorRows.has(row['u.id'] as string)) authorRows.set(row['u.id'] as string, row);
  const { authors, members } = authorsOf([...authorRows.values()].map((row) => [plain.build(User, row, 'u')!, row.author_is_member === true] as const));
  const messages = rows.map((row) => {
    const authorId = row['m.author_id'] as string | null;
    const message = plain.build(Message, row, 'm', { author: (authorId && authors.get(authorId)) || null, ...(threadRef ? { thread: threadRef } : {}) })!;
    message.workspaceId = row.workspace_id as string;
    return message;
  });
  return { messages, members };
}

/** A page read with its thread (threadStatement): its messages' arrays, and each author's with whether they are a member. */
function messagesFromArrays(plain: PlainEntities, messageValues: unknown[][], authorValues: [unknown[], boolean][], thread: Thread, workspaceId: string): ReadMessages {
  const threadRef = ref(thread);
  const { authors, members } = authorsOf(authorValues.map(([values, isMember]) => [plain.buildFromArray(User, values)!, isMember] as const));
  const messages = messageValues.map((values) => {
    const message = plain.buildFromArray(Message, values, { thread: threadRef })!;
    const authorId = PlainEntities.keyOf(message, 'author');
    message.author = (authorId && authors.get(authorId)) || null;
    message.workspaceId = workspaceId;
    return message;
  });
  return { messages, members };
}

/** Threads, their messages, and the event stream every change writes. */
export class ThreadService {
  /** pages of messages read with their thread (get), kept until messages() takes them; per request, as the threads are */
  private readonly prefetched = new WeakMap<Thread, { key: string; messages: Message[]; members: Set<string> }>();

  constructor(
    private readonly deps: {
      pubsub: PubSub;
      log: Logger;
      workspaces: WorkspaceService;
      /** where a post leaves the message as its event's subscribers in this process read it (modules/live.ts) */
      snapshots: { rememberMessage(message: Message): void };
      /** this process's thread rooms, which hear its own events before the pubsub brings them */
      rooms: { hear(event: ThreadEventMessage): void };
    },
  ) {}

  async create(em: EntityManager, actor: PolicyContext, input: { workspaceId: string; title: string }): Promise<Thread> {
    const person = asPerson(actor.viewer);
    const { workspaceId, title } = parseInput(threadInput, input);
    if (!isUuid(workspaceId)) throw notFound('Workspace');
    await memberRole(actor, workspaceId);
    const thread = await em.transactional(async (tx) =>
      tx.create(Thread, { workspace: tx.getReference(Workspace, workspaceId), title, createdBy: tx.getReference(User, person.userId) }),
    );
    await this.deps.workspaces.announce(workspaceId, { kind: 'THREAD_CREATED', workspaceId, threadId: thread.id, at: thread.createdAt.toISOString() });
    return thread;
  }

  /**
   * A thread of a workspace the viewer may read; NOT_FOUND otherwise. One statement: the thread, the viewer's
   * role in its workspace (what the policy asks next), and, when the operation asks for a page of its messages
   * (`withMessages`, from the resolver's look-ahead), that page with its authors, which messages() then serves.
   */
  async get(em: EntityManager, actor: PolicyContext, id: string, withMessages?: MessagePage | null): Promise<Thread> {
    if (!isUuid(id)) throw notFound('Thread');
    const plain = new PlainEntities(em);
    const userId = actor.viewer.kind === 'user' ? actor.viewer.userId : null;
    // arguments messages() would refuse: it reads (and refuses) them itself
    const page = withMessages ? attempt(() => pageOf(withMessages)) : null;
    const rows = await preparedRows(em, threadStatement(plain, page), [userId, id, ...(page ? pageParams(page) : [])]);
    const found = rows[0] ? plain.build(Thread, rows[0], 't') : null;
    if (!found) throw notFound('Thread');
    const workspaceId = PlainEntities.keyOf(found, 'workspace')!;
    if (userId) actor.facts.learn?.({ workspaceId, viewerRole: (rows[0].viewer_role as WorkspaceRole | null) ?? null });
    await readerRole(actor, workspaceId, 'Thread');
    if (page) this.prefetched.set(found, { key: page.key, ...messagesFromArrays(plain, rows[0].messages as unknown[][], rows[0].authors as [unknown[], boolean][], found, workspaceId) });
    return found;
  }

  /** A workspace's threads, newest first (the workspace was authorized when it was read). */
  list(em: EntityManager, workspaceId: string, args: { first?: number | null; after?: string | null }): Promise<Connection<Thread>> {
    return pageByCreation(em, Thread, { workspace: workspaceId }, args, 'desc');
  }

  /**
   * Messages in seq order; by default the newest 50. One statement (none when get() read this page with the
   * thread): the messages, their authors, and whether each author is a member of the thread's workspace (what
   * the authors' name rule asks).
   */
  async messages(em: EntityManager, actor: PolicyContext, thread: Thread, args: MessagePage): Promise<Connection<Message>> {
    const page = pageOf(args);
    const prefetched = this.prefetched.get(thread);
    this.prefetched.delete(thread);
    const { messages, members } =
      prefetched?.key === page.key ? prefetched : await this.readMessages(em, `m.thread_id = ?${pageWhere(page)}`, [thread.id, ...pageParams(page)], thread);
    actor.facts.learn?.({ workspaceId: PlainEntities.keyOf(thread, 'workspace')!, members });
    return toConnection(messages, page.limit, (m) => encodeCursor([m.seq]), page.forward ? 'forward' : 'backward', page.hasCursor);
  }

  /** One message as an event shows it, with its author and its thread's workspace: one statement. */
  async message(em: EntityManager, messageId: string): Promise<Message | null> {
    const { messages } = await this.readMessages(em, 'm.id = ?', [messageId]);
    return messages[0] ?? null;
  }

  /**
   * Messages (the SQL after `where`) with their authors, built outside the unit of work (db/plain-entities.ts),
   * and which authors are members of the thread's workspace (a fact the authors' name rule asks for).
   */
  private async readMessages(em: EntityManager, where: string, params: unknown[], thread?: Thread) {
    const plain = new PlainEntities(em);
    const rows = await preparedRows(
      em,
      `select ${messageColumns(plain)} from message m join thread t on t.id = m.thread_id left join users u on u.id = m.author_id where ${where}`,
      params,
    );
    return messagesFromRows(plain, rows, thread);
  }

  /** Posts a message; with a clientId, a retry returns the first message instead of storing a second. */
  async post(em: EntityManager, actor: PolicyContext, input: { threadId: string; body: string; clientId?: string | null }): Promise<Message> {
    const person = asPerson(actor.viewer);
    const data = parseInput(postInput, input);
    const thread = await this.get(em, actor, data.threadId);
    const clientId = data.clientId ?? null;
    const existing = () => (clientId ? em.fork().findOne(Message, { thread: thread.id, author: person.userId, clientId }) : Promise.resolve(null));
    const earlier = await existing();
    if (earlier) return this.inWorkspace(earlier, thread);
    try {
      // One statement, which PostgreSQL runs as one transaction: the thread's next seq under its row lock, the
      // message, and its event; and the message as its event shows it (author and workspace), so that this
      // process's subscribers get it without reading it back. Posting is the hottest write: a transaction's round
      // trips and the ORM's change sets would cost more than the work, and planning the statement anew at every
      // post (it joins four tables) cost as long as running it, so it is prepared.
      const plain = new PlainEntities(em);
      const [row] = await preparedRows(
        em,
        `with next_seq as (update thread set last_seq = last_seq + 1 where id = ? returning last_seq),
              added as (insert into message (id, thread_id, author_id, body, seq, client_id, created_at)
                        select ?::uuid, ?::uuid, ?::uuid, ?, last_seq, ?, ?::timestamptz from next_seq returning *),
              logged as (insert into message_event (thread_id, seq, kind, message_id, at)
                         select thread_id, seq, 'ADDED', id, created_at from added)
         select ${messageColumns(plain)} from added m join thread t on t.id = m.thread_id left join users u on u.id = m.author_id`,
        [thread.id, randomUUID(), thread.id, person.userId, data.body, clientId, new Date()],
      );
      // no row: the thread went away after it was read
      if (!row) throw notFound('Thread');
      // built as readMessages builds it, author included; twice: the event's snapshot is shared by every
      // subscriber, the answer is not
      const built = () => messagesFromRows(plain, [row], thread).messages[0];
      const message = built();
      this.deps.snapshots.rememberMessage(built());
      await this.announce({ threadId: thread.id, seq: message.seq, kind: 'ADDED', messageId: message.id });
      return message;
    } catch (error) {
      // two retries raced: the first one stored the message, this one returns it
      const winner = error instanceof UniqueConstraintViolationException ? await existing() : null;
      if (winner) return this.inWorkspace(winner, thread);
      throw error;
    }
  }

  /** Only the author edits. */
  async edit(em: EntityManager, actor: PolicyContext, id: string, body: string): Promise<Message> {
    const person = asPerson(actor.viewer);
    const text = parseInput(z.object({ body: messageBody }), { body }).body;
    const { message, thread } = await this.readable(em, actor, id);
    ensure(abilities.editMessage(person.userId, message.author?.id ?? null), 'Only the author edits a message.');
    if (message.deletedAt) throw notFound('Message');
    const changed = await this.change(em, thread.id, 'EDITED', async (tx) => {
      const m = await tx.findOneOrFail(Message, { id });
      m.body = text;
      m.editedAt = new Date();
      return m;
    });
    return this.inWorkspace(changed, thread);
  }

  /** The author or a workspace owner/admin deletes; the message keeps its place (seq, createdAt), not its body. */
  async delete(em: EntityManager, actor: PolicyContext, id: string): Promise<Message> {
    const person = asPerson(actor.viewer);
    const { message, thread, role } = await this.readable(em, actor, id);
    ensure(abilities.deleteMessage(person.userId, message.author?.id ?? null, role), 'Only the author or a workspace admin deletes a message.');
    if (message.deletedAt) return this.inWorkspace(message, thread);
    const changed = await this.change(em, thread.id, 'DELETED', async (tx) => {
      const m = await tx.findOneOrFail(Message, { id });
      m.body = null;
      m.deletedAt = new Date();
      return m;
    });
    return this.inWorkspace(changed, thread);
  }

  /** Typing indicators go through the pubsub only: never stored. */
  async setTyping(em: EntityManager, actor: PolicyContext, threadId: string, typing: boolean): Promise<void> {
    const person = asPerson(actor.viewer);
    const thread = await this.get(em, actor, threadId);
    await ring(this.deps, channels.typing(thread.id), { threadId: thread.id, userId: person.userId, typing });
  }

  /** Events after `afterSeq` (up to `untilSeq`, exclusive), in seq order, with their messages and authors. */
  async eventsAfter(em: EntityManager, threadId: string, afterSeq: number, untilSeq = Number.MAX_SAFE_INTEGER, limit = 500): Promise<ThreadEventMessage[]> {
    const rows = await em.find(MessageEventRecord, { thread: threadId, seq: { $gt: afterSeq, $lt: untilSeq } }, { orderBy: { seq: 'asc' }, limit });
    return rows.map((r) => ({ threadId, seq: r.seq, kind: r.kind, messageId: r.message.id }));
  }

  async currentSeq(em: EntityManager, threadId: string): Promise<number> {
    const rows: { last_seq: number }[] = await em.execute('select last_seq from thread where id = ?', [threadId]);
    return rows[0]?.last_seq ?? 0;
  }

  /**
   * One change to a thread (an edit or a delete; posting does the same in one statement): takes the next seq
   * under the thread row's lock (so concurrent writers get distinct, consecutive seqs and commit in seq order),
   * writes the change and its event in one transaction, and publishes the event only after the commit.
   */
  private async change(em: EntityManager, threadId: string, kind: MessageEventKind, write: (tx: EntityManager, seq: number) => Promise<Message>): Promise<Message> {
    const { message, seq } = await em.transactional(async (tx) => {
      const [{ last_seq: next }] = await tx.execute<{ last_seq: number }[]>('update thread set last_seq = last_seq + 1 where id = ? returning last_seq', [threadId]);
      const written = await write(tx, next);
      await tx.flush();
      await tx.execute('insert into message_event (thread_id, seq, kind, message_id, at) values (?, ?, ?, ?, ?)', [threadId, next, kind, written.id, new Date()]);
      return { message: written, seq: next };
    });
    await this.announce({ threadId, seq, kind, messageId: message.id });
    return message;
  }

  /** After the commit: the thread's subscribers hear of the event (and read what their viewer may see). */
  private announce(event: ThreadEventMessage): Promise<void> {
    this.deps.rooms.hear(event);
    return ring(this.deps, channels.thread(event.threadId), event);
  }

  private async readable(em: EntityManager, actor: PolicyContext, id: string) {
    const message = isUuid(id) ? await em.findOne(Message, { id }, { populate: ['thread'] }) : null;
    if (!message) throw notFound('Message');
    const thread = message.thread.getEntity();
    const role = await memberRole(actor, thread.workspace.id, 'Message');
    return { message, thread, role };
  }

  private inWorkspace(message: Message, thread: Thread): Message {
    message.workspaceId = thread.workspace.id;
    return message;
  }
}
