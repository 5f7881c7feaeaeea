import { UniqueConstraintViolationException, raw } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { admitSignIn, hashSecret, verifyAgainstDecoy, verifySecret } from '../../auth/passwords.js';
import type { OpenedSession, Sessions } from '../../auth/sessions.js';
import { accountKey, type SignInLimiter } from '../../auth/sign-in-limiter.js';
import type { StepUp, StepUpProof } from '../../auth/step-up.js';
import { badInput, conflict, notFound, unauthenticated } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { Metrics } from '../../metrics.js';
import { asPerson, type PersonViewer, type Viewer } from '../../policy/viewer.js';
import type { Actor, AuditService } from '../audit/audit.service.js';
import { checkStepUp } from '../audit/step-up-check.js';
import type { ErasureService } from '../rights/erasure.service.js';
import { channels, type AccountClosedMessage } from '../../realtime/channels.js';
import { ring, type PubSub } from '../../realtime/pubsub.js';
import type { ConsentService } from '../consent/consent.service.js';
import { isUuid, parseInput } from '../validation.js';
import * as rules from './account-rules.js';
import { User } from './user.entity.js';

const signUpInput = z.object({
  username: rules.username,
  lastName: rules.lastName,
  email: rules.email,
  password: rules.password,
  firstName: rules.firstName.nullish(),
  newsletterOptIn: z.boolean().nullish(),
});

const profileInput = z.object({
  username: rules.username.nullish(),
  lastName: rules.lastName.nullish(),
  // an empty first name clears it: it is optional
  firstName: z.union([z.literal('').transform(() => null), rules.firstName]).nullish(),
  email: rules.email.nullish(),
  currentPassword: z.string().max(512).nullish(),
});

export type SignedIn = { user: User; token: string; expiresAt: Date; viewer: PersonViewer };
const signedIn = (user: User, token: string, session: OpenedSession): SignedIn => ({
  user,
  token,
  expiresAt: session.expiresAt,
  viewer: { kind: 'user', userId: user.id, platformRole: user.platformRole, sessionId: session.id },
});

const WRONG_CREDENTIALS = 'Wrong login or password.';

/** Accounts: sign-up, sign-in, sessions, profile and password. */
export class AccountService {
  constructor(
    private readonly deps: { sessions: Sessions; limiter: SignInLimiter; consent: ConsentService; stepUp: StepUp; audit: AuditService; erasure: ErasureService; pubsub: PubSub; log: Logger; metrics?: Metrics },
  ) {}

  async signUp(em: EntityManager, input: unknown): Promise<SignedIn> {
    const data = parseInput(signUpInput, input);
    if (rules.passwordIsOwnName(data.password, [data.username, data.email])) {
      throw badInput('The password must not be your username or email address.', 'password');
    }
    await this.assertAvailable(em, { username: data.username, email: data.email });
    const passwordHash = await hashSecret(data.password);
    return this.unique(() =>
      em.transactional(async (tx) => {
        const user = tx.create(User, {
          username: data.username,
          lastName: data.lastName,
          firstName: data.firstName ?? null,
          email: data.email,
          passwordHash,
        });
        // the user row first: the session and consent rows refer to it
        await tx.persist(user).flush();
        if (data.newsletterOptIn === true) this.deps.consent.record(tx, user.id, 'NEWSLETTER', true, 'SIGNUP');
        const { token, session } = await this.deps.sessions.open(tx, user.id);
        this.deps.log.info({ userId: user.id }, 'account created');
        return signedIn(user, token, session);
      }),
    );
  }

  async signIn(em: EntityManager, input: { login: string; password: string }, ip: string | null): Promise<SignedIn> {
    const login = input.login.trim();
    if (login.length === 0 || login.length > 254 || input.password.length > 512) throw unauthenticated(WRONG_CREDENTIALS);
    const { user, account, ok } = await admitSignIn(async () => {
      const user = await this.findByLogin(em, login);
      const account = accountKey(user?.id ?? null, login);
      await this.deps.limiter.check(account, ip);
      const ok = user?.passwordHash ? await verifySecret(user.passwordHash, input.password) : await verifyAgainstDecoy(input.password);
      return { user, account, ok };
    });
    if (!user || !ok) {
      await this.deps.limiter.recordFailure(account, ip);
      this.deps.metrics?.signInFailures.inc();
      await this.deps.audit.record(em, 'sign-in-failed', { actorId: user?.id ?? null, ip });
      this.deps.log.info({ userId: user?.id ?? null }, 'sign-in failed');
      throw unauthenticated(WRONG_CREDENTIALS);
    }
    await this.deps.limiter.recordSuccess(account);
    const { token, session } = await this.deps.sessions.open(em, user.id);
    await em.flush();
    await this.deps.audit.record(em, 'sign-in', { actorId: user.id, ip });
    this.deps.log.info({ userId: user.id, sessionId: session.id }, 'signed in');
    return signedIn(user, token, session);
  }

  async signOut(em: EntityManager, actor: Actor): Promise<void> {
    if (actor.viewer.kind !== 'user') return;
    await this.deps.sessions.revoke(em, actor.viewer.userId, actor.viewer.sessionId);
    await this.deps.audit.by(em, actor, 'sign-out');
    await this.closeSockets({ userId: actor.viewer.userId, sessionId: actor.viewer.sessionId });
  }

  /** The right to erasure, self-service: password and step-up, then everything personal goes (rights/erasure.service.ts). */
  async deleteAccount(em: EntityManager, actor: Actor, password: string, proof: StepUpProof): Promise<void> {
    const person = asPerson(actor.viewer);
    const user = await this.user(em, person.userId);
    await this.reauthenticate(em, user, password, 'password');
    await checkStepUp(this.deps, em, { ...actor, viewer: person }, proof, 'deleteAccount');
    await this.deps.erasure.erase(em, person.userId, { actorId: person.userId, ip: actor.client?.ip ?? null });
  }

  async me(em: EntityManager, viewer: Viewer): Promise<User | null> {
    return viewer.kind === 'user' ? em.findOne(User, { id: viewer.userId }) : null;
  }

  async user(em: EntityManager, id: string): Promise<User> {
    const user = isUuid(id) ? await em.findOne(User, { id }) : null;
    if (!user) throw notFound('User');
    return user;
  }

  async updateProfile(em: EntityManager, viewer: PersonViewer, input: unknown): Promise<User> {
    const data = parseInput(profileInput, input);
    const user = await this.user(em, viewer.userId);
    const emailChanges = data.email != null && data.email.toLowerCase() !== (user.email ?? '').toLowerCase();
    if (emailChanges) {
      if (!data.currentPassword) throw badInput('Enter your current password to change your email address.', 'currentPassword');
      await this.reauthenticate(em, user, data.currentPassword);
    }
    const usernameChanges = data.username != null && data.username.toLowerCase() !== user.username.toLowerCase();
    await this.assertAvailable(em, { username: usernameChanges ? data.username! : undefined, email: emailChanges ? data.email! : undefined });
    if (data.username != null) user.username = data.username;
    if (data.lastName != null) user.lastName = data.lastName;
    if (data.firstName !== undefined) user.firstName = data.firstName;
    if (data.email != null) user.email = data.email;
    await this.unique(() => em.flush());
    this.deps.log.info({ userId: user.id }, 'profile updated');
    return user;
  }

  /** Changes the password and signs out every other device. */
  async changePassword(em: EntityManager, viewer: PersonViewer, currentPassword: string, newPassword: string): Promise<void> {
    const next = parseInput(z.object({ newPassword: rules.password }), { newPassword }).newPassword;
    const user = await this.user(em, viewer.userId);
    await this.reauthenticate(em, user, currentPassword);
    if (rules.passwordIsOwnName(next, [user.username, user.email])) {
      throw badInput('The password must not be your username or email address.', 'newPassword');
    }
    user.passwordHash = await hashSecret(next);
    await em.transactional(async (tx) => {
      await tx.flush();
      const revoked = await this.deps.sessions.revokeAllBut(tx, user.id, viewer.sessionId);
      this.deps.log.info({ userId: user.id, revokedSessions: revoked }, 'password changed');
    });
    await this.closeSockets({ userId: user.id, exceptSessionId: viewer.sessionId });
  }

  /** A transaction PIN of 4 to 8 digits; setting or changing it needs the password. */
  async setTransactionPin(em: EntityManager, viewer: PersonViewer, pin: string, password: string): Promise<void> {
    const digits = parseInput(z.object({ pin: z.string().regex(/^\d{4,8}$/, 'The PIN is 4 to 8 digits.') }), { pin }).pin;
    const user = await this.user(em, viewer.userId);
    await this.reauthenticate(em, user, password, 'password');
    await this.deps.stepUp.setPin(em, user.id, digits);
    this.deps.log.info({ userId: user.id }, 'transaction PIN set');
  }

  enrollTotp(em: EntityManager, viewer: PersonViewer): Promise<{ uri: string; secret: string }> {
    return this.user(em, viewer.userId).then((user) => this.deps.stepUp.enrollTotp(em, user.id, user.username));
  }

  async confirmTotp(em: EntityManager, viewer: PersonViewer, code: string): Promise<boolean> {
    const confirmed = await this.deps.stepUp.confirmTotp(em, viewer.userId, code);
    if (confirmed) this.deps.log.info({ userId: viewer.userId }, 'authenticator app confirmed');
    return confirmed;
  }

  /** The only way to make the first platform admin: from the command line, on the server's machine. */
  async grantPlatformAdmin(em: EntityManager, login: string): Promise<User> {
    const user = await this.findByLogin(em, login.trim());
    if (!user) throw notFound('User');
    user.platformRole = 'ADMIN';
    await em.flush();
    await this.deps.audit.record(em, 'platform-admin-granted', { subjectUserId: user.id, details: { via: 'cli' } });
    this.deps.log.info({ userId: user.id }, 'platform admin granted');
    return user;
  }

  /** Sockets of ended sessions close at once, on every process (http/ws.ts listens). */
  private async closeSockets(message: AccountClosedMessage): Promise<void> {
    await ring(this.deps, channels.accountClosed(), message);
  }

  /** Re-authentication for sensitive changes; failures count toward the sign-in limit of this account. */
  private async reauthenticate(em: EntityManager, user: User, password: string, field = 'currentPassword'): Promise<void> {
    const account = accountKey(user.id, user.username);
    await this.deps.limiter.check(account, null);
    if (!user.passwordHash || !(await verifySecret(user.passwordHash, password))) {
      await this.deps.limiter.recordFailure(account, null);
      throw badInput('The current password is wrong.', field);
    }
  }

  private findByLogin(em: EntityManager, login: string): Promise<User | null> {
    const lowered = login.toLowerCase();
    return em.findOne(User, {
      $or: [{ [raw('lower(username)')]: lowered }, { [raw('lower(email)')]: lowered }],
    });
  }

  private async assertAvailable(em: EntityManager, wanted: { username?: string; email?: string }): Promise<void> {
    if (wanted.username && (await this.findByLogin(em, wanted.username))) {
      throw conflict('This username is taken.', 'username');
    }
    if (wanted.email && (await this.findByLogin(em, wanted.email))) {
      throw conflict('An account with this email address exists.', 'email');
    }
  }

  /** Two requests racing for one name: the database's unique index decides, and the loser gets CONFLICT. */
  private async unique<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) {
        const field = /email/.test(error.message) ? 'email' : 'username';
        throw conflict(field === 'email' ? 'An account with this email address exists.' : 'This username is taken.', field);
      }
      throw error;
    }
  }
}
