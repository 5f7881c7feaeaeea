import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import pg from 'pg';

/**
 * The hand-written baseline: Apollo Server 5 and one SQL join, no authorization, no ORM. What the thread
 * query costs at the least with this stack.
 */
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const typeDefs = `#graphql
  type User { id: ID! username: String! lastName: String }
  type Message { id: ID! seq: Int! body: String createdAt: String! author: User }
  type MessageEdge { node: Message! }
  type MessageConnection { edges: [MessageEdge!]! }
  type Thread { id: ID! title: String! messages(last: Int): MessageConnection! }
  type Query { thread(id: ID!): Thread }
`;
const resolvers = {
  Query: {
    thread: async (_: unknown, { id }: { id: string }) => {
      const { rows } = await pool.query(
        `select t.id as thread_id, t.title, m.id, m.seq, m.body, m.created_at, u.id as author_id, u.username, u.last_name
           from thread t
           left join lateral (select * from message where thread_id = t.id order by seq desc limit 20) m on true
           left join users u on u.id = m.author_id
          where t.id = $1`,
        [id],
      );
      if (rows.length === 0) return null;
      const edges = rows
        .filter((r) => r.id)
        .reverse()
        .map((r) => ({ node: { id: r.id, seq: r.seq, body: r.body, createdAt: r.created_at.toISOString(), author: r.author_id ? { id: r.author_id, username: r.username, lastName: r.last_name } : null } }));
      return { id: rows[0].thread_id, title: rows[0].title, messages: { edges } };
    },
  },
  Thread: { messages: (thread: { messages: unknown }) => thread.messages },
};
const server = new ApolloServer({ typeDefs, resolvers });
const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
console.log(`listening ${new URL(url).port}`);
