import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { writeReport } from './report.js';

/** Re-writes docs/performance.md from the last full run's results (after a change to the report's text). */
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
await writeReport(JSON.parse(await readFile(here('results/latest.json'), 'utf8')), here('../../docs/performance.md'));
