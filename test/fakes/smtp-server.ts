import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * A local SMTP server for tests (smtp-server), on 127.0.0.1 and a random port, that parses what it accepts
 * (mailparser) and can answer a temporary or permanent rejection to the next messages. It requires AUTH with the
 * user and password in its `url`, in plain text: there is no TLS here, which is why pagers allow plain SMTP only
 * to 127.0.0.1 and only when told to.
 */
export interface FakeSmtp {
  /** `smtp://user:pass@127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** Messages accepted, oldest first. */
  readonly messages: ReceivedMail[];
  /** Messages answered with a failure (each DATA that `failNext` rejected). */
  readonly rejected: number;
  /** Answer the end of DATA of the next `times` messages with `code` (451 by default: "try again later"). */
  failNext(times?: number, code?: number): void;
  /** Resolves once at least `count` messages were accepted; rejects after `timeoutMs`. */
  waitForMessages(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  /** Forgets messages and pending failures. */
  reset(): void;
  close(): Promise<void>;
}

/** One accepted message: the SMTP envelope, and the message as mailparser read it. */
export interface ReceivedMail {
  envelope: { from: string | undefined; to: string[] };
  parsed: ParsedMail;
  /** The message as received, headers and all. */
  raw: string;
}

export async function startFakeSmtp(credentials = { user: 'pager', pass: 'secret-pass' }): Promise<FakeSmtp> {
  const messages: ReceivedMail[] = [];
  const failures: number[] = [];
  let rejected = 0;
  let waiters: (() => void)[] = [];

  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    closeTimeout: 100,
    onAuth(auth, _session, callback) {
      if (auth.username === credentials.user && auth.password === credentials.pass) callback(null, { user: auth.username });
      else callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const failWith = failures.shift();
        if (failWith !== undefined) {
          rejected += 1;
          const text = failWith < 500 ? 'Requested action aborted: try again later' : 'Message rejected';
          callback(Object.assign(new Error(text), { responseCode: failWith }));
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        const envelope = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
        };
        simpleParser(raw).then(
          (parsed) => {
            messages.push({ envelope, parsed, raw });
            waiters.forEach((wake) => wake());
            callback();
          },
          (err: unknown) => callback(err as Error),
        );
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;

  return {
    url: `smtp://${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.pass)}@127.0.0.1:${port}`,
    port,
    messages,
    get rejected() {
      return rejected;
    },
    failNext(times = 1, code = 451) {
      for (let i = 0; i < times; i++) failures.push(code);
    },
    async waitForMessages(count, timeoutMs = 5_000) {
      if (messages.length >= count) return messages;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`fake SMTP: ${messages.length} of ${count} messages after ${timeoutMs} ms`)), timeoutMs);
        const wake = () => {
          if (messages.length < count) return;
          clearTimeout(timer);
          waiters = waiters.filter((waiter) => waiter !== wake);
          resolve(messages);
        };
        waiters.push(wake);
      });
    },
    reset() {
      messages.length = 0;
      failures.length = 0;
      rejected = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
