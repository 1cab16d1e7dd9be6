// Starts the real indsats binary on a fresh, empty data directory (so it seeds the
// demo municipality and one user per role), and stops it again with SIGTERM.
//
//   const server = await startServer();
//   server.baseURL             // "http://127.0.0.1:PORT"
//   server.credentials.admin   // { username, password, role }
//   const code = await server.stop();  // exit code; 0 means a graceful shutdown

import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const INDSATS_BIN = process.env.INDSATS_BIN || '/root/.cache/indsats-target/debug/indsats';

const START_TIMEOUT_MS = 30_000;
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

export async function startServer() {
  // The working directory is the temp dir too, so no stray ./indsats.toml is read.
  const root = await mkdtemp(path.join(tmpdir(), 'indsats-e2e-'));
  const dataDir = path.join(root, 'data');
  // Port 0: the kernel picks a free port and the server prints the one it got,
  // so there is no race between choosing a port and binding it.
  const child = spawn(INDSATS_BIN, ['--data-dir', dataDir, '--addr', '127.0.0.1:0', 'serve'], {
    cwd: root,
    env: cleanEnv(),
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
