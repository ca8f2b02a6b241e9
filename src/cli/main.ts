import { parseArgs } from 'node:util';
import { z } from 'zod';
import { buildRecordServices } from '../app/records.js';
import type { ExportedHead, VerifyResult } from '../domain/audit/chain.js';
import { ROLES, type Role } from '../domain/auth/keys.js';
import { ConfigError, loadDotEnv, parseConfig, type Config } from '../config/index.js';
import { StaffAccounts } from '../domain/staff/accounts.js';
import { systemClock } from '../lib/clock.js';
import { ensureFerretDbBinary } from '../store/ferretdb.js';
import { openDatabase, type Database } from '../store/database.js';

const USAGE = `Usage: npm run cli -- <command>

  keys create --role <admin|clinician|integration> --name <name>   create an API key; prints it once
  keys list                                                         list API keys (no secrets)
  keys revoke <id>                                                  revoke an API key
  staff invite <staffId>                                            print a console invitation link (72 h, single use)
  audit verify [--head '<json>']                                    check the audit chain's hashes and MACs, and
                                                                    that it still holds an exported head
  audit head                                                        verify, then print the last event as JSON
                                                                    {seq, hash, mac, at}: keep it outside the database
  db build                                                          build the embedded database (tools/ferretdb)

Uses the same database as CareLoop: MONGODB_URI, or the embedded one in DATA_DIR
(the running CareLoop's, or one started for this command).`;

/** Commands for admins and CI. The key goes to stdout alone, everything else to stderr. */
async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { role: { type: 'string' }, name: { type: 'string' }, head: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const command = positionals.slice(0, 2).join(' ');
  if (values.help || !command) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  loadDotEnv();
  const config = parseConfig();

  if (command === 'db build') {
    console.error(`embedded database binary: ${await ensureFerretDbBinary({ binary: config.FERRETDB_BIN, onProgress: (m) => console.error(m) })}`);
    return 0;
  }
  const known = ['keys create', 'keys list', 'keys revoke', 'staff invite', 'audit verify', 'audit head'];
  if (!known.includes(command)) {
    console.error(`unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  if (command === 'keys create' && (!values.name?.trim() || !ROLES.includes(values.role as Role))) {
    console.error(`keys create needs --name <name> and --role <${ROLES.join('|')}>`);
    return 2;
  }
  const exported = values.head === undefined ? undefined : parseExportedHead(values.head);
  if (exported instanceof Error) {
    console.error(`audit verify --head: ${exported.message}`);
    return 2;
  }

  const db = await openDatabase(config, { clock: systemClock, reuseRunning: true, onProgress: (m) => console.error(m) });
  try {
    return await run(command, positionals[2], { ...values, exported }, db, config);
  } finally {
    await db.close();
  }
}

async function run(command: string, argument: string | undefined, values: { role?: string; name?: string; exported?: ExportedHead }, db: Database, config: Config): Promise<number> {
  const { apiKeys: keys, audit, staff } = buildRecordServices(db, systemClock);
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
    case 'staff invite': {
      if (!argument) {
        console.error('staff invite needs the staff id (GET /api/v1/staff lists them)');
        return 2;
      }
      const accounts = new StaffAccounts({
        accounts: db.repositories.staffAccounts, sessions: db.repositories.consoleSessions, passkeys: db.repositories.passkeys, staff, clock: systemClock, inviteKeys: db.derivedKeys('console invite'),
        baseUrl: config.PUBLIC_BASE_URL?.replace(/\/+$/, '') ?? `http://${config.HOST}:${config.PORT}`,
      });
      const invite = await accounts.invite(argument);
      await audit.append({ at: systemClock.now(), actor: { kind: 'cli' }, action: 'staff.invite', outcome: 'success', patientIds: [], resource: { type: 'staff', id: invite.staff.id } });
      console.error(`Invitation for ${invite.staff.name}, valid until ${invite.expiresAt.toISOString()} and once:`);
      console.log(invite.url);
      return 0;
    }
    case 'audit head': {
      const result = await audit.verify();
      if (!result.ok) return reportBroken(result);
      if (!result.head) {
        console.error('the audit chain is empty: no head to export yet');
        return 1;
      }
      console.log(JSON.stringify(result.head));
      return 0;
    }
    default: {
      const result = await audit.verify(values.exported);
      if (!result.ok) return reportBroken(result);
      const notKeyed = result.notKeyed ? `, ${result.notKeyed} from before audit keys checked by hash only` : '';
      const pinned = values.exported ? `; event ${values.exported.seq} is still the exported head` : '';
      console.log(`audit chain OK: ${result.checked} events verified (${result.checked - (result.notKeyed ?? 0)} MACs checked${notKeyed})${pinned}`);
      return 0;
    }
  }
}

function reportBroken(result: VerifyResult): number {
  console.log(`audit chain BROKEN at event ${result.brokenAt}: ${result.reason} (${result.checked} events verified before it)`);
  return 1;
}

const exportedHeadSchema = z.object({
  seq: z.number().int().min(1),
  hash: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 hex characters'),
  mac: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 hex characters').optional(),
  at: z.string(),
});

/** The JSON that `audit head` printed, or an Error saying what is wrong with it. */
function parseExportedHead(text: string): ExportedHead | Error {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return new Error('expected the JSON that `audit head` printed, e.g. {"seq":12,"hash":"…","mac":"…","at":"…"}');
  }
  const parsed = exportedHeadSchema.safeParse(json);
  return parsed.success ? parsed.data : new Error(parsed.error.issues.map((issue) => `${issue.path.join('.') || '(head)'}: ${issue.message}`).join('; '));
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : `error: ${(err as Error).message}`);
    process.exit(err instanceof ConfigError ? 2 : 1);
  },
);
