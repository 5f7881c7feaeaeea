import 'reflect-metadata';
import { openDatabase } from '../src/db/orm.js';
import { entities } from '../src/modules/entities.js';

/**
 * Prints the SQL that would bring a database migrated to the latest committed migration up to the entities:
 * the starting point of the next migration (review it, then commit it as a class in src/db/migrations).
 * Usage: DATABASE_URL=postgres://…/scratch pnpm --filter @client-online/server migration:diff
 */
const url = process.env.DATABASE_URL;
if (!url) throw new Error('Set DATABASE_URL to a scratch database.');
const orm = await openDatabase(url, entities, { poolMax: 2 });
console.log(await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false }));
await orm.close();
