import { describe, expect, it } from 'vitest';
import * as ws from 'ws';
import { frameHead, frameTail, nextFrame } from '../src/http/shared-results.js';

// ws's frame parser (exported by its ES module, not by its type definitions)
type Parser = { on(event: string, listener: (...args: any[]) => void): void; write(chunk: Buffer): void };
const { Receiver } = ws as unknown as { Receiver: new (options: { isServer: boolean }) => Parser };

/** What a WebSocket client reads from the bytes: ws's own parser, as a client (frames from a server are unmasked). */
function read(frame: Buffer): Promise<{ text: string; binary: boolean }> {
  return new Promise((resolve, reject) => {
    const receiver = new Receiver({ isServer: false });
    receiver.on('message', (data: Buffer, binary: boolean) => resolve({ text: data.toString('utf8'), binary }));
    receiver.on('error', reject);
    receiver.write(frame);
  });
}

describe('the next frames written straight to sockets', () => {
  it('are text frames a WebSocket client reads as graphql-transport-ws next messages, at every length encoding', async () => {
    for (const body of ['kort', 'é'.repeat(200), 'x'.repeat(70_000)]) {
      const result = { data: { messageEvents: { message: { body } } } };
      for (const id of ['1', '0a8f4c9e-6b7d-4e21-9f3a-1c2d3e4f5a6b', 'ïd "quoted"']) {
        const { text, binary } = await read(nextFrame(frameHead(id), frameTail(result)));
        expect(binary).toBe(false);
        expect(JSON.parse(text)).toEqual({ id, type: 'next', payload: result });
      }
    }
  });
});
