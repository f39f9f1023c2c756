import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../../..');

let tarball: string | undefined;

/** `npm pack` of this repository (its prepack builds it), once per run: what a host installs from the registry. */
export function packedTarball(): string {
  if (tarball) return tarball;
  const dest = mkdtempSync(join(tmpdir(), 'au-pack-'));
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', dest], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  // The build (prepack) prints to stdout too: the JSON is the array that starts a line of its own.
  const [info] = JSON.parse(out.slice(out.search(/^\[$/m))) as [{ filename: string }];
  tarball = join(dest, info.filename);
  return tarball;
}
