import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A fresh host project in a temporary folder outside the repository. */
export class HostProject {
  readonly dir: string;
  private server: ChildProcess | undefined;
  output = '';

  constructor(name: string) {
    this.dir = mkdtempSync(join(tmpdir(), `au-host-${name}-`));
  }

  write(path: string, content: string): void {
    mkdirSync(join(this.dir, path, '..'), { recursive: true });
    writeFileSync(join(this.dir, path), content);
  }

  copy(from: string): void {
    cpSync(from, this.dir, { recursive: true });
  }

  /** Runs a shell command line in the project (as a person would type it); throws with its output when it fails. */
  async sh(line: string, env: NodeJS.ProcessEnv = {}): Promise<string> {
    try {
      const { stdout, stderr } = await run('bash', ['-c', line], {
        cwd: this.dir,
        env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', ...env },
        maxBuffer: 64 * 1024 * 1024,
      });
      return stdout + stderr;
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string; message: string };
      throw new Error(`${line} failed in ${this.dir}:\n${e.stdout ?? ''}\n${e.stderr ?? ''}\n${e.message}`, { cause: err });
    }
  }

  /**
   * Starts `node <entry>` with a free PORT and waits until it answers HTTP. The port is free when
   * chosen, not when the host binds it: a server started meanwhile beside these tests (the browser
   * tests run at the same time) can take it, the host then exits on EADDRINUSE and the other server
   * answers instead. So the host must still be running once it answered, else it starts again on
   * another port.
   */
  async start(entry: string, env: NodeJS.ProcessEnv): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      try {
        const url = await this.startOnce(entry, env);
        await new Promise((r) => setTimeout(r, 500));
        if (this.server && this.server.exitCode === null) return url;
        throw new Error(`${entry} exited after answering on ${url} (its port was taken?):\n${this.output}`);
      } catch (err) {
        if (attempt >= 3) throw err;
      }
    }
  }

  private async startOnce(entry: string, env: NodeJS.ProcessEnv): Promise<string> {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, [entry], {
      cwd: this.dir,
      env: { ...process.env, ...env, PORT: String(port), BASE_URL: url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.server = child;
    child.stdout.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (this.output += d.toString()));
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`${entry} exited with ${child.exitCode}:\n${this.output}`);
      try {
        await fetch(`${url}/login`);
        return url;
      } catch {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    throw new Error(`${entry} did not answer within 30 s:\n${this.output}`);
  }

  async stop(): Promise<void> {
    const child = this.server;
    this.server = undefined;
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}
