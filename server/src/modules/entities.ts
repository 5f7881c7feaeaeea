import { Session } from './users/session.entity.js';
import { ConsentRecord } from './consent/consent.entity.js';
import { User } from './users/user.entity.js';

export const entities = [User, Session, ConsentRecord];
