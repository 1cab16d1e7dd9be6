// Starts the real indsats binary on a data directory seeded with the demo municipality, its
// register and one user per role, and stops it again with SIGTERM.
//
//   const server = await startServer();
//   server.baseURL             // "http://127.0.0.1:PORT"
//   server.credentials.admin   // { username, password, role }
//   const code = await server.stop();  // exit code; 0 means a graceful shutdown
//
// With INDSATS_E2E_POSTGRES_URL set (a PostgreSQL URL whose user may create databases, e.g.
// postgres://postgres@127.0.0.1:5432/postgres) every server runs on a PostgreSQL database of
// its own, cloned from one seeded template database, instead of the embedded SQLite.

import { spawn, spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const INDSATS_BIN = process.env.INDSATS_BIN || '/root/.cache/indsats-target/debug/indsats';

/** The PostgreSQL server to run on instead of SQLite, when set. */
export const POSTGRES_URL = process.env.INDSATS_E2E_POSTGRES_URL || '';

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

/** Parses demo-credentials.txt: "username   password   (role)" on each line. */
export function parseCredentials(text) {
  const credentials = {};
  for (const line of text.split('\n')) {
    const match = line.trim().match(/^(\S+)\s+(\S+)\s+\((\S+)\)$/);
    if (match) {
      const [, username, password, role] = match;
      credentials[username] = { username, password, role };
    }
  }
  return credentials;
}

/** The environment for the server: ours, less anything that would point it elsewhere. */
function cleanEnv() {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith('INDSATS_') || key === 'DATABASE_URL') delete env[key];
  }
  env.RUST_LOG = env.RUST_LOG || 'warn';
  return env;
}

/** `url` with its database name replaced by `name`. */
function withDatabase(url, name) {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** Runs one SQL statement on the PostgreSQL server (psql, which comes with the server). */
function psql(sql) {
  const run = spawnSync('psql', [POSTGRES_URL, '-v', 'ON_ERROR_STOP=1', '-qAtc', sql], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`psql failed on ${sql}:\n${run.stderr}`);
  return run.stdout.trim();
}

/**
 * A data directory seeded once by `indsats demo` for this binary (users and the demo register),
 * which each server copies: seeding generates a register, and every test file starts a server.
 * On PostgreSQL the template is also a database, which each server's database is cloned from.
 */
async function seededTemplate() {
  const { mtimeMs } = await stat(INDSATS_BIN);
  const stamp = Math.round(mtimeMs);
  const backend = POSTGRES_URL ? 'pg' : 'sqlite';
  const template = path.join(tmpdir(), `indsats-e2e-template-${backend}-${stamp}`);
  const database = `indsats_e2e_template_${stamp}`;
  try {
    await stat(path.join(template, 'demo-credentials.txt'));
    if (!POSTGRES_URL || psql(`SELECT 1 FROM pg_database WHERE datname = '${database}'`) === '1') return template;
  } catch {
    // Not seeded yet for this binary.
  }
  const staging = await mkdtemp(path.join(tmpdir(), 'indsats-e2e-staging-'));
  const data = path.join(staging, 'data');
  const args = ['--data-dir', data];
  if (POSTGRES_URL) {
    psql(`DROP DATABASE IF EXISTS ${database}`);
    psql(`CREATE DATABASE ${database}`);
    args.push('--database-url', withDatabase(POSTGRES_URL, database));
  }
  const seeded = spawnSync(INDSATS_BIN, [...args, 'demo'], { cwd: staging, env: cleanEnv(), encoding: 'utf8' });
  if (seeded.status !== 0) {
    throw new Error(`indsats demo failed (${seeded.status}):\n${seeded.stdout}\n${seeded.stderr}`);
  }
  // Another test process may have won the race; either copy is a complete seed.
  await rename(data, template).catch(() => {});
  await rm(staging, { recursive: true, force: true });
  return template;
}

/** A new database cloned from the seeded template database; returns its name. */
function cloneDatabase(template) {
  const stamp = template.split('-').pop();
  const name = `indsats_e2e_${process.pid}_${Date.now()}`;
  psql(`CREATE DATABASE ${name} TEMPLATE indsats_e2e_template_${stamp}`);
  return name;
}

/**
 * Starts a server. `fresh: true` lets the server seed its own empty data directory, as a new
 * user's first `cargo run` does; otherwise it starts on a copy of the seeded template.
 */
export async function startServer({ fresh = false, env = {}, port = 0 } = {}) {
  // The working directory is the temp dir too, so no stray ./indsats.toml is read.
  const root = await mkdtemp(path.join(tmpdir(), 'indsats-e2e-'));
  const dataDir = path.join(root, 'data');
  const args = ['--data-dir', dataDir, '--addr', `127.0.0.1:${port}`];
  let database;
  if (fresh && POSTGRES_URL) throw new Error('a fresh server is the embedded database (the README\'s first run)');
  if (!fresh) {
    const template = await seededTemplate();
    await cp(template, dataDir, { recursive: true, verbatimSymlinks: true });
    if (POSTGRES_URL) {
      database = cloneDatabase(template);
      args.push('--database-url', withDatabase(POSTGRES_URL, database));
    }
  }
  const dropDatabase = () => {
    if (database) psql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  };
  // Port 0: the kernel picks a free port and the server prints the one it got,
  // so there is no race between choosing a port and binding it.
  // `env` adds settings (INDSATS_*), `port` a fixed port (an OpenID provider must know the
  // redirect URL before the server starts).
  const child = spawn(INDSATS_BIN, [...args, 'serve'], {
    cwd: root,
    env: { ...cleanEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });

  let baseURL;
  try {
    baseURL = await new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`indsats did not start within ${START_TIMEOUT_MS} ms`)),
        START_TIMEOUT_MS,
      );
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(new Error(`cannot run ${INDSATS_BIN}: ${err.message} (set INDSATS_BIN?)`));
      });
      exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`indsats exited before serving (code ${code}, signal ${signal})`));
      });
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        const match = stdout.match(/serves on (http:\/\/[^\s/]+)\//);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
    });
  } catch (err) {
    child.kill('SIGKILL');
    await exited;
    dropDatabase();
    await rm(root, { recursive: true, force: true });
    err.message += `\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`;
    throw err;
  }

  const credentials = parseCredentials(
    await readFile(path.join(dataDir, 'demo-credentials.txt'), 'utf8'),
  );

  let stopping;
  return {
    baseURL,
    dataDir,
    /** `postgres` or `sqlite`: the database this server runs on. */
    backend: database ? 'postgres' : 'sqlite',
    credentials,
    /** Server log so far, for failure messages. */
    get log() {
      return `--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`;
    },
    /** Sends SIGTERM, waits for the exit, removes the data dir; resolves to the exit code. */
    stop() {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        let timer;
        const result = await Promise.race([
          exited,
          new Promise((resolve) => {
            timer = setTimeout(() => resolve(null), STOP_TIMEOUT_MS);
          }),
        ]);
        clearTimeout(timer);
        if (result === null) {
          child.kill('SIGKILL');
          await exited;
          dropDatabase();
          await rm(root, { recursive: true, force: true });
          throw new Error(`indsats did not stop within ${STOP_TIMEOUT_MS} ms of SIGTERM`);
        }
        await rm(root, { recursive: true, force: true });
        return result.code;
      })();
      return stopping;
    },
  };
}
