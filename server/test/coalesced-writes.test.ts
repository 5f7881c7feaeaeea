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

describe('frames written to sockets', () => {
  it("leave at the end of the turn, a socket's frames of that turn in one write", async () => {
    const [a, b] = [socket(), socket()];
    writeCoalesced(a.stream, Buffer.from('one'));
    writeCoalesced(a.stream, Buffer.from('two'));
    writeCoalesced(b.stream, Buffer.from('three'));
    expect([a.calls, b.calls]).toEqual([[], []]);
    await turn();
    expect([a.calls, b.calls]).toEqual([[2], [1]]);
  });

  it('after a slow flush, wait twice as long before the next one and take what came meanwhile along', async () => {
    // the earlier test's flush holds the next one back for twice its duration, which a busy machine stretches
    await new Promise((resolve) => setTimeout(resolve, 100));
    const slow = socket(50);
    writeCoalesced(slow.stream, Buffer.from('first'));
    await turn();
    expect(slow.calls).toEqual([1]);
    writeCoalesced(slow.stream, Buffer.from('second'));
    await turn();
    writeCoalesced(slow.stream, Buffer.from('third'));
    await turn();
    // the flush took about 50 ms, so these wait about 100 ms, together
    expect(slow.calls).toEqual([1]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(slow.calls).toEqual([1, 2]);
  });
});
