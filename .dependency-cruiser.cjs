// The kit's layers, checked on every `npm run lint` (dependency-cruiser): no import circles, and no
// import from a lower layer to a higher one, type-only imports included (a type two layers share
// lives in the lower one). From the bottom: errors, messages, permissions, logger, delivery
// problems and i18n; migrations (which import nothing of lib/); store; the shared types (lib/types.ts); options; services; templates and
// mail; http; index.ts, which only composes. test/import-rules.test.ts shows the rules catch a circle.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import circle: the files cannot be read, tested or moved apart.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'migrations-import-nothing-of-lib',
      severity: 'error',
      comment: 'A migration is a fixed record of a schema change: it must not change when lib/ does.',
      from: { path: '^migrations/' },
      to: { path: '^lib/' },
    },
    {
      name: 'bottom-imports-no-layer',
      severity: 'error',
      comment: 'errors, messages, permissions, the logger, delivery problems and i18n sit under every layer.',
      from: { path: '^lib/(errors|messages|permissions|logger|delivery-problem)\\.ts$|^lib/i18n/' },
      to: { path: '^lib/(store|services|http|mail)/|^lib/(options|templates|layout|index|template-checks)\\.ts$' },
    },
    {
      name: 'store-calls-nothing-above',
      severity: 'error',
      comment: 'The store reads and writes rows; it never decides a rule or knows a request.',
      from: { path: '^lib/store/' },
      to: { path: '^lib/(services|http|mail)/|^lib/(options|templates|layout|index|types)\\.ts$' },
    },
    {
      name: 'shared-types-above-the-store-only',
      severity: 'error',
      comment: 'lib/types.ts (the request and session additions, the membership) names only the users port below it.',
      from: { path: '^lib/types\\.ts$' },
      to: { path: '^lib/', pathNot: '^lib/store/user-store\\.ts$' },
    },
    {
      name: 'options-below-services',
      severity: 'error',
      comment: 'Options are read by every layer above; the mail transport is a port (types only) they name.',
      from: { path: '^lib/options\\.ts$|^lib/options/' },
      to: { path: '^lib/(services|http|mail)/|^lib/(templates|index)\\.ts$', pathNot: '^lib/mail/transport\\.ts$' },
    },
    {
      name: 'services-never-see-http-or-mail',
      severity: 'error',
      comment: 'A service never sees req; it queues mail through the store, and the mailer calls back through Kit.',
      from: { path: '^lib/services/' },
      to: { path: '^lib/(http|mail)/|^lib/(templates|layout|index)\\.ts$' },
    },
    {
      name: 'mail-never-sees-http',
      severity: 'error',
      from: { path: '^lib/mail/|^lib/templates\\.ts$' },
      to: { path: '^lib/http/|^lib/index\\.ts$' },
    },
    {
      name: 'only-index-composes',
      severity: 'error',
      comment: 'lib/index.ts is the public entry: nothing inside the kit imports it.',
      from: { path: '^lib/', pathNot: '^lib/index\\.ts$' },
      to: { path: '^lib/index\\.ts$' },
    },
  ],
  options: {
    // Type-only imports count: the layers hold for types too.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
  },
};
