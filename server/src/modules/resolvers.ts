import type { NonEmptyArray } from 'type-graphql';
import { MessageResolver, ThreadResolver } from './threads/thread.resolver.js';
import { AccountResolver } from './users/account.resolver.js';
import { WorkspaceMemberResolver, WorkspaceResolver } from './workspaces/workspace.resolver.js';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const resolvers: NonEmptyArray<Function> = [AccountResolver, WorkspaceResolver, WorkspaceMemberResolver, ThreadResolver, MessageResolver];
