/**
 * A mock server of a test's own, in a separate process: for what the shared one cannot show
 * (a restart, a bad store file, a server outside test mode).
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

export interface ServerProcess extends RunningServer {
  /** kill -9: the process ends at once, mid-write or not. */
  crash(): Promise<void>;
}

/**
 * Starts `mock-server/src/main.ts` as its own process on a free port, with the given options;
 * resolves with its URL once it listens, rejects with its output if it exits first.
 */
export function startMockServer(args: string[], env: Record<string, string> = {}): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'mock-server/src/main.ts', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, MOCK_TEST_MODE: '', MOCK_ADMIN_TOKEN: '', MOCK_STREAM_TICKET_TTL_MS: '', ...env },
  });
  const ended = (signal: NodeJS.Signals) =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      child.kill(signal);
    });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /\[mock-server\] (http:\/\/\S+)/.exec(output)?.[1];
      if (url) {
        resolve({
          url,
          stop: () => ended('SIGTERM'),
          crash: () => ended('SIGKILL'),
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`mock server exited with ${code}: ${output}`)));
  });
}
