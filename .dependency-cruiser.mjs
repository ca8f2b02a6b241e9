/**
 * The dependency rule of ARCHITECTURE.md, checked by `npm run lint` (dependency-cruiser):
 * channels -> bot -> dialogs -> domain <- store; schedules -> domain; no cycles. Type-only imports count too:
 * a tangle of types is still a tangle.
 */
const DATABASE = ['^src/store/', '^node_modules/(mongoose|mongodb)/'];
const DRIVERS_AND_SDKS = '^node_modules/(mongoose|mongodb|twilio|openai|@azure|fastify|@fastify)/';

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'Modules that import each other (directly or round a loop) cannot be understood, tested or moved apart.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      comment:
        'src/domain holds the rules: it imports only src/domain, src/lib, node built-ins and small pure libraries ' +
        '(zod, luxon, yaml, minisearch) and crypto primitives (@node-rs/argon2, otpauth, @simplewebauthn/server): never a driver, a framework or an SDK.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: {
        dependencyTypesNot: ['core'],
        pathNot: ['^src/domain/', '^src/lib/', '^node_modules/(zod|luxon|yaml|minisearch|otpauth|@node-rs/argon2|@simplewebauthn/server)/'],
      },
    },
    {
      name: 'store-below-the-conversation',
      comment: 'src/store implements domain ports: it may import src/domain, src/lib and src/config, never a channel, the bot, dialogs, http or schedules.',
      severity: 'error',
      from: { path: '^src/store/' },
      to: { path: '^(src|dialogs|schedules)/', pathNot: '^src/(store|domain|lib|config)/' },
    },
    {
      name: 'bot-and-dialogs-use-ports',
      comment: 'src/bot and dialogs/ reach the database through domain ports (the composition root passes them in), never mongoose or src/store.',
      severity: 'error',
      from: { path: '^(src/bot|dialogs)/' },
      to: { path: DATABASE },
    },
    {
      name: 'dialogs-call-domain-services',
      comment: 'Dialogs get domain services through their constructor; besides botbuilder they import only src/domain and src/lib: no channel, bot, http, integration, driver or SDK.',
      severity: 'error',
      from: { path: '^dialogs/' },
      to: { path: ['^src/', DRIVERS_AND_SDKS], pathNot: '^src/(domain|lib)/' },
    },
    {
      name: 'schedules-use-ports',
      comment: 'Jobs in schedules/ reach the database only through domain ports, and know nothing of HTTP or channels.',
      severity: 'error',
      from: { path: '^schedules/' },
      to: { path: [...DATABASE, '^src/(http|channels)/'] },
    },
    {
      name: 'channels-do-not-import-dialogs',
      comment: 'A channel hands turns to the bot (src/bot), which runs the dialogs.',
      severity: 'error',
      from: { path: '^src/channels/' },
      to: { path: '^dialogs/' },
    },
    {
      name: 'worker-has-no-http',
      comment: 'npm run worker runs schedules only: nothing it loads, however indirectly, is HTTP code.',
      severity: 'error',
      from: { path: '^src/worker\\.ts$' },
      to: { path: ['^src/http/', '^src/channels/[^/]+/routes\\.ts$', '^node_modules/(fastify|@fastify)/'], reachable: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], mainFields: ['module', 'main', 'types'] },
  },
};
