// `NODE_OPTIONS="--import $PWD/test/support/express-4.mjs"` (absolute: test processes start children elsewhere): the process and the workers it starts
// run on Express 4 (the `express4` alias among the devDependencies) wherever the code imports or
// requires `express`, the kit's own routers included. CI runs the MariaDB suite so and the SQLite
// and PostgreSQL suites on Express 5: every test runs on both majors without a fourth run of the
// suite. test/express-major.test.ts proves which one a run is on.
import Module, { register } from 'node:module';

const toExpress4 = (specifier) => (specifier === 'express' || specifier.startsWith('express/') ? `express4${specifier.slice('express'.length)}` : specifier);

// ESM imports, through a resolve hook.
register('./express-4-hooks.mjs', import.meta.url);

// require(), which Node 20's hooks do not see (tsx loads the test files as CommonJS through it).
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolveFilename.call(this, toExpress4(request), ...rest);
};
