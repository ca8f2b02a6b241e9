import { parseArgs } from 'node:util';
import { verifyChain } from '../domain/audit/chain.js';
import { ROLES, type Role } from '../domain/auth/keys.js';
import { ApiKeyService } from '../domain/auth/service.js';
import { ConfigError, loadDotEnv, parseConfig } from '../config/index.js';
import { systemClock } from '../lib/clock.js';
import { ensureFerretDbBinary } from '../store/ferretdb.js';
import { openDatabase, type Database } from '../store/database.js';

const USAGE = `Usage: npm run cli -- <command>

  keys create --role <admin|clinician|integration> --name <name>   create an API key; prints it once
  keys list                                                         list API keys (no secrets)
  keys revoke <id>                                                  revoke an API key
  audit verify                                                      check the audit hash chain
  db build                                                          build the embedded database (tools/ferretdb)

Uses the same database as CareLoop: MONGODB_URI, or the embedded one in DATA_DIR
(the running CareLoop's, or one started for this command).`;

/** Commands for admins and CI. The key goes to stdout alone, everything else to stderr. */
async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { role: { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const command = positionals.slice(0, 2).join(' ');
  if (values.help || !command) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  loadDotEnv();
  const config = parseConfig();

  if (command === 'db build') {
    console.error(`embedded database binary: ${ensureFerretDbBinary({ binary: config.FERRETDB_BIN, onProgress: (m) => console.error(m) })}`);
    return 0;
  }
  const known = ['keys create', 'keys list', 'keys revoke', 'audit verify'];
  if (!known.includes(command)) {
    console.error(`unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  if (command === 'keys create' && (!values.name?.trim() || !ROLES.includes(values.role as Role))) {
    console.error(`keys create needs --name <name> and --role <${ROLES.join('|')}>`);
    return 2;
  }

  const db = await openDatabase(config, { clock: systemClock, reuseRunning: true, onProgress: (m) => console.error(m) });
  try {
    return await run(command, positionals[2], values, db);
  } finally {
    await db.close();
  }
}

async function run(command: string, argument: string | undefined, values: { role?: string; name?: string }, db: Database): Promise<number> {
  const { apiKeys, audit } = db.repositories;
  const keys = new ApiKeyService(apiKeys, systemClock);
  const record = (action: string, id: string) =>
    audit.append({ at: systemClock.now(), actor: { kind: 'cli' }, action, outcome: 'success', patientIds: [], resource: { type: 'apikey', id } });

  switch (command) {
    case 'keys create': {
      const created = await keys.create({ name: values.name!.trim(), role: values.role as Role }, 'cli');
      await record('apikey.create', created.id);
      console.error(`Created ${created.role} key ${created.id} ("${created.name}"). It is shown once; store it now:`);
      console.log(created.key);
      return 0;
    }
    case 'keys list':
      for (const key of await keys.list()) {
        console.log([key.id, key.role, key.revokedAt ? `revoked ${key.revokedAt}` : 'active', key.createdAt, key.name].join('\t'));
      }
      return 0;
    case 'keys revoke': {
      if (!argument) {
        console.error('keys revoke needs the key id (see keys list)');
        return 2;
      }
      const revoked = await keys.revoke(argument);
      await record('apikey.revoke', revoked.id);
      console.error(`Revoked key ${revoked.id}.`);
      return 0;
    }
    default: {
      const result = await verifyChain(audit.events(), await audit.head());
      if (result.ok) {
        console.log(`audit chain OK: ${result.checked} events verified`);
        return 0;
      }
      console.log(`audit chain BROKEN at event ${result.brokenAt}: ${result.reason} (${result.checked} events verified before it)`);
      return 1;
    }
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : `error: ${(err as Error).message}`);
    process.exit(err instanceof ConfigError ? 2 : 1);
  },
);
