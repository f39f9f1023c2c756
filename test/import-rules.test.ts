import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const depcruise = join(root, 'node_modules', '.bin', 'depcruise');
const config = join(root, '.dependency-cruiser.cjs');

/** Runs the lint step's dependency check (`npm run lint`) in `cwd`; its exit code and report. */
async function checkLayers(cwd: string, paths: string[]): Promise<{ code: number; report: string }> {
  try {
    const { stdout } = await promisify(execFile)(depcruise, [...paths, '--config', config], { cwd });
    return { code: 0, report: stdout };
  } catch (err) {
    const failed = err as { code?: number; stdout?: string };
    return { code: failed.code ?? 1, report: failed.stdout ?? '' };
  }
}

describe('import rules (the layers and no circles, checked by npm run lint)', function () {
  this.timeout(60_000);

  it('fails on a deliberate import circle and on a type-only import from the store to the services', async () => {
    const { code, report } = await checkLayers(join(root, 'test', 'fixtures', 'import-layers'), ['lib']);
    expect(code).to.not.equal(0);
    expect(report).to.match(/error no-circular: lib\/services\/(invitations|members)\.ts/);
    expect(report).to.include('error store-calls-nothing-above: lib/store/rows.ts → lib/services/members.ts');
  });

  it('finds no circle and no upward import in the kit and its migrations', async () => {
    const { code, report } = await checkLayers(root, ['lib', 'migrations']);
    expect(report).to.include('no dependency violations found');
    expect(code).to.equal(0);
  });
});
