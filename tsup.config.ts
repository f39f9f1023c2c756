import { readFile, writeFile } from 'node:fs/promises';
import { defineConfig } from 'tsup';
import { openApiDocument } from './lib/http/json-api/document.js';

// One ESM and one CommonJS build of each public entry, each with its own declarations
// (.d.ts for import, .d.cts for require), so that `import` and `require()` both load the
// kit with correct types under every moduleResolution a host may use.
export default defineConfig({
  entry: { index: 'lib/index.ts', migrations: 'lib/migrations.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  // The CommonJS build gets a shim for import.meta.url (used to find the views folder).
  shims: true,
  target: 'node20',
  platform: 'node',
  outDir: 'dist',
  clean: true,
  // Not shipped: the sources are not in the package, and the bundle is readable as it is.
  sourcemap: false,
  // One shared chunk: the two entries share the error classes, so `instanceof OptionsError` holds across them.
  splitting: true,
  treeshake: false,
  // The JSON API's OpenAPI document, shipped as `express-account-users/openapi.json`, its paths
  // under the default mounts (a host's routers serve it with their own at GET <mount>/openapi.json).
  onSuccess: async () => {
    const { version } = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
    await writeFile('dist/openapi.json', `${JSON.stringify(openApiDocument({ mountPath: '/account/users', userMountPath: '/user' }, version), null, 2)}\n`);
  },
});
