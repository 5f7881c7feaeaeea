import type { MikroORM } from '@mikro-orm/postgresql';
import { describe, expect, it } from 'vitest';
import { LiveLoads, MAX_ENTRIES } from '../src/modules/live.js';
import type { Message } from '../src/modules/threads/message.entity.js';

describe("the live events' per-process cache", () => {
  it('serves a message its process posted without reading it, and stays bounded however many are posted', async () => {
    let reads = 0;
    // remembered messages never reach the database: the ORM is not there to be used
    const loads = new LiveLoads({} as MikroORM, async () => {
      reads++;
      return null;
    });
    const posted = (seq: number) => ({ id: `m${seq}`, seq, body: `bericht ${seq}` }) as unknown as Message;
    for (let seq = 1; seq <= MAX_ENTRIES + 500; seq++) loads.rememberMessage(posted(seq));
    expect(loads.size).toBeLessThanOrEqual(MAX_ENTRIES);
    expect((await loads.message(`m${MAX_ENTRIES + 500}`, MAX_ENTRIES + 500)).body).toBe(`bericht ${MAX_ENTRIES + 500}`);
    expect(reads).toBe(0);
  });
});
