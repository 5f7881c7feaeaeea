import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const serverDir = fileURLToPath(new URL('../..', import.meta.url));

export type ServerProcess = { child: ChildProcess; output: () => string; exited: Promise<number | null> };

/** Runs a server entry point (src/main.ts, src/cli.ts) as a real child process, the way `pnpm start` does. */
export function runEntry(entry: string, args: string[], env: Record<string, string>): ServerProcess {
  const base = { ...process.env };
  delete base.DATABASE_URL; // each caller says which database it wants
  const child = spawn(process.execPath, ['--import', '@swc-node/register/esm-register', entry, ...args], {
    cwd: serverDir,
    env: { ...base, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Resolves when the output contains the text; rejects when the process exits first or time runs out. */
export async function waitForOutput(proc: ServerProcess, text: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void proc.exited.then(() => (exited = true));
  while (!proc.output().includes(text)) {
    if (exited) throw new Error(`process exited before "${text}":\n${proc.output()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for "${text}":\n${proc.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
