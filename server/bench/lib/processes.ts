import { fork, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const serverDir = fileURLToPath(new URL('../..', import.meta.url));
const swc = ['--import', '@swc-node/register/esm-register'];

export type Child = { child: ChildProcess; output: () => string; stop: () => Promise<void> };

/** Starts a TypeScript entry (relative to server/) and waits until its output contains `ready`. */
export async function start(
  entry: string,
  /** added to this process's environment; an undefined value leaves that variable out */
  env: Record<string, string | undefined>,
  ready: string | RegExp,
  timeoutMs = 120_000,
  nodeArgs: string[] = [],
  /** another Node (and no TypeScript loader), nodeArgs before the entry: PostGraphile, and the product, on Node 22 */
  other?: { command: string; cwd: string; args: string[] },
): Promise<Child> {
  const child = other
    ? spawn(other.command, [...nodeArgs, entry, ...other.args], { cwd: other.cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    : // compiled JavaScript (the product as pnpm start runs it) needs no TypeScript loader in its process
      spawn(process.execPath, [...(entry.endsWith('.ts') ? swc : []), '--max-old-space-size=4096', ...nodeArgs, entry], { cwd: serverDir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const deadline = Date.now() + timeoutMs;
  while (!(typeof ready === 'string' ? output.includes(ready) : ready.test(output))) {
    if (child.exitCode !== null) throw new Error(`${entry} exited before it was ready:\n${output.slice(-3000)}`);
    if (Date.now() > deadline) throw new Error(`${entry} was not ready in time:\n${output.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, output: () => output, stop: () => stopChild(child) };
}

/** A load generator in its own process, spoken to over IPC (so it does not share a core's time with the server). */
export function worker(entry: string): { child: ChildProcess; request: <T>(message: object) => Promise<T>; stop: () => Promise<void> } {
  const child = fork(entry, [], { cwd: serverDir, execArgv: [...swc, '--max-old-space-size=4096'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let next = 0;
  const waiting = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  child.on('message', (message: any) => {
    const entry = waiting.get(message.id);
    waiting.delete(message.id);
    if (message.error) entry?.reject(new Error(message.error));
    else entry?.resolve(message.result);
  });
  child.on('exit', () => {
    for (const entry of waiting.values()) entry.reject(new Error(`${entry} worker exited`));
  });
  return {
    child,
    request: (message) =>
      new Promise((resolve, reject) => {
        const id = next++;
        waiting.set(id, { resolve, reject });
        child.send({ ...message, id });
      }),
    stop: () => stopChild(child),
  };
}

/** Answers a worker's requests: each handler's result (or error) goes back with the request's id. */
export function serve(handlers: Record<string, (message: any) => Promise<unknown>>): void {
  process.on('message', async (message: any) => {
    try {
      const result = await handlers[message.type](message);
      process.send!({ id: message.id, result });
    } catch (error) {
      process.send!({ id: message.id, error: (error as Error).stack ?? String(error) });
    }
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}
