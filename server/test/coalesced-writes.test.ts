import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { writeCoalesced } from '../src/http/live-delivery.js';

/** A socket stand-in that records how many frames each system call would have carried. */
function socket(busyMs = 0) {
  const calls: number[] = [];
  const spin = () => {
    const until = performance.now() + busyMs;
    while (performance.now() < until);
  };
  const stream = new Writable({
    write(_chunk, _encoding, done) {
      spin();
      calls.push(1);
      done();
    },
    writev(chunks, done) {
      spin();
      calls.push(chunks.length);
      done();
    },
  });
  return { stream, calls };
}
const turn = () => new Promise((resolve) => setImmediate(resolve));

const quiet = () => new Promise((resolve) => setTimeout(resolve, 60));

describe('frames written to sockets', () => {
  it('leave at once from a process that wrote nothing for a while, in order', async () => {
    await quiet();
    const [a, b] = [socket(), socket()];
    const written: string[] = [];
    const record = (stream: Writable, name: string) => {
      const original = stream._write.bind(stream);
      stream._write = (chunk, encoding, done) => {
        written.push(`${name}:${chunk}`);
        original(chunk, encoding, done);
      };
    };
    record(a.stream, 'a');
    record(b.stream, 'b');
    writeCoalesced(a.stream, Buffer.from('one'));
    writeCoalesced(b.stream, Buffer.from('two'));
    writeCoalesced(a.stream, Buffer.from('three'));
    expect(written).toEqual(['a:one', 'b:two', 'a:three']);
    expect([a.calls, b.calls]).toEqual([[1, 1], [1]]);
    await turn();
  });

  it("right after a write, leave at the end of the turn, a socket's frames of that turn in one write", async () => {
    await quiet();
    const [a, b] = [socket(), socket()];
    writeCoalesced(a.stream, Buffer.from('at once'));
    await turn();
    writeCoalesced(a.stream, Buffer.from('one'));
    writeCoalesced(a.stream, Buffer.from('two'));
    writeCoalesced(b.stream, Buffer.from('three'));
    expect([a.calls, b.calls]).toEqual([[1], []]);
    await turn();
    expect([a.calls, b.calls]).toEqual([[1, 2], [1]]);
  });

  it('after a slow flush, wait twice as long before the next one and take what came meanwhile along, even past the quiet time', async () => {
    await quiet();
    const [fast, slow] = [socket(), socket(50)];
    writeCoalesced(fast.stream, Buffer.from('at once'));
    await turn();
    writeCoalesced(slow.stream, Buffer.from('first'));
    await turn();
    expect(slow.calls).toEqual([1]);
    writeCoalesced(slow.stream, Buffer.from('second'));
    // longer than the quiet time, but a flush is due: writing 'third' at once would put it before 'second'
    await quiet();
    writeCoalesced(slow.stream, Buffer.from('third'));
    expect(slow.calls).toEqual([1]);
    // the flush took about 50 ms, so these wait about 100 ms, together
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(slow.calls).toEqual([1, 2]);
  });
});
