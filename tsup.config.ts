import { defineConfig } from 'tsup';

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
});
