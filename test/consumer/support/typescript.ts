/**
 * The tsconfig of a strict TypeScript host: `strict`, and no `skipLibCheck`, so the package's
 * declarations are checked like the host's own code. `node16`/`nodenext` decide ESM or CommonJS
 * from the host's package.json, as they do for a real host.
 */
export function strictTsconfig(module: 'nodenext' | 'node16', include: string[], extra: Record<string, unknown> = {}) {
  return {
    compilerOptions: { target: 'ES2022', module, moduleResolution: module, strict: true, skipLibCheck: false, outDir: 'build', types: ['node'], ...extra },
    include,
  };
}
