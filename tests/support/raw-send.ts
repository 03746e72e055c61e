/**
 * Message sends straight from Node's http client, for bursts of hundreds or thousands:
 * Playwright's request context records every request in the trace, which for such a burst
 * costs more than the burst. They go over a pool of at most 64 connections, as a busy client
 * holds: 2,000 connections opened at once lost a few of them on a loaded machine, before any
 * reached the store.
 */
import { Agent, request } from 'node:http';
import type { VisitorClient } from './visitor-client.js';

export interface RawAnswer {
  /** The status, or 0 when the connection failed (a killed server, say). */
  status: number;
  body: string;
}

export class RawSender {
  private readonly pool = new Agent({ keepAlive: true, maxSockets: 64 });

  send(serverUrl: string, visitor: VisitorClient, text: string): Promise<RawAnswer> {
    return new Promise((resolve) => {
      const body = JSON.stringify({ text });
      const headers = { ...visitor.headers, 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) };
      const failed = () => resolve({ status: 0, body: '' });
      const sending = request(`${serverUrl}${visitor.path}/messages`, { method: 'POST', agent: this.pool, headers }, (response) => {
        let answer = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (answer += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: answer }));
        response.on('error', failed);
      });
      sending.on('error', failed);
      sending.end(body);
    });
  }

  close(): void {
    this.pool.destroy();
  }
}
