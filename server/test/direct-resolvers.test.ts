import { isObjectType, type GraphQLResolveInfo } from 'graphql';
import { describe, expect, it } from 'vitest';
import { Message } from '../src/modules/threads/message.entity.js';
import { appSchema } from '../src/schema.js';

/** a loaded reference, as the ORM's Ref answers loadOptional */
const loaded = <T>(entity: T) => ({ isInitialized: () => true, unwrap: () => entity, load: async () => entity });

describe('field resolvers that take only their root', () => {
  it('answer the same whether the root already has its class (called directly) or TypeGraphQL converts it', async () => {
    const schema = await appSchema();
    const messageType = schema.getType('Message');
    if (!isObjectType(messageType)) throw new Error('Message is an object type');
    const author = messageType.getFields().author.resolve!;
    const user = { id: 'u1', username: 'auteur' };
    const info = {} as GraphQLResolveInfo;
    const instance = Object.assign(Object.create(Message.prototype) as Message, { author: loaded(user) });
    const plainObject = { author: loaded(user) };
    expect(await author(instance, {}, {}, info)).toBe(user);
    expect(await author(plainObject, {}, {}, info)).toBe(user);
    expect(await author(Object.assign(Object.create(Message.prototype) as Message, { author: null }), {}, {}, info)).toBeNull();
    expect(await author({ author: null }, {}, {}, info)).toBeNull();
  });
});
