import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SERVER = join(dirname(fileURLToPath(import.meta.url)), 'server.ts');

/**
 * Starts a bench server (bench/server.ts unless `script` names another, as the peers' are) in a
 * process of its own with `env` (BENCH_DB, BENCH_KDF, …) and waits for the port it prints
 * ("READY <port>"); `name` says whose server it was if it exits first.
 */
export async function startBenchServer(
  env: NodeJS.ProcessEnv,
  name: string,
  nodeArgs: readonly string[] = [],
  script: string = SERVER,
): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const m = /READY (\d+)/.exec(buffered);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`${name} server exited with ${code}`)));
  });
  return { child, base: `http://127.0.0.1:${port}` };
}
