/**
 * A visitor's event stream, across the connections it takes. Each connection opens with a
 * fresh one-time ticket: EventSource's own reconnection would present the spent ticket again
 * and be refused, so any error ends the connection and the stream connects again itself, with
 * a new ticket, after a delay that doubles up to 30 s and starts over once a connection opens.
 * A refusal (the visitor was reset, the workspace is gone) ends it for good; a visitor reset by
 * something else than this tab (the server says `revoked`, or refuses its ticket as revoked) is
 * reported, so that the tab stops showing what that visitor's token no longer opens.
 *
 * It knows nothing of identities: the controller decides what an event may put on screen.
 */
import type { WireMessage } from '../../protocol/messages.js';
import type { Client, Credentials } from './client.js';
import { CVError, isRevoked } from './errors.js';

export interface StreamHandlers {
  /** A connection opened: nothing pushed before it reached this visitor. */
  opened(): void;
  message(message: WireMessage): void;
  /** The server revoked this visitor: its token opens nothing any more. */
  revoked(): void;
}

interface Connection {
  visitorId: string;
  source?: EventSource;
  /** Connections that failed since the last one opened: the next try waits 2^failures s, up to 30 s. */
  failures: number;
  retry?: ReturnType<typeof setTimeout>;
}

export class EventStream {
  private current: Connection | undefined;

  constructor(private readonly client: Client) {}

  /** The visitor it listens to, while open. */
  get visitorId(): string | undefined {
    return this.current?.visitorId;
  }

  /** Listens to this visitor from now on, in place of whoever it listened to. */
  open(creds: Credentials, handlers: StreamHandlers): void {
    this.close();
    this.current = { visitorId: creds.visitorId, failures: 0 };
    this.connect(this.current, creds, handlers);
  }

  close(): void {
    this.current?.source?.close();
    clearTimeout(this.current?.retry);
    this.current = undefined;
  }

  private connect(stream: Connection, creds: Credentials, handlers: StreamHandlers): void {
    const current = () => this.current === stream;
    const retry = () => {
      const delay = Math.min(30_000, 1000 * 2 ** stream.failures);
      stream.failures += 1;
      stream.retry = setTimeout(() => current() && this.connect(stream, creds, handlers), delay);
    };
    void this.client.streamTicket(creds).then(
      ({ ticket }) => {
        if (!current()) return;
        const source = new EventSource(this.client.eventsUrl(creds, ticket));
        stream.source = source;
        source.addEventListener('open', () => {
          stream.failures = 0;
          handlers.opened();
        });
        source.addEventListener('message', (event) => {
          const data = JSON.parse((event as MessageEvent<string>).data) as { message: WireMessage };
          handlers.message(data.message);
        });
        source.addEventListener('revoked', () => {
          source.close();
          if (current()) handlers.revoked();
        });
        source.addEventListener('error', () => {
          source.close();
          if (current() && stream.source === source) retry();
        });
      },
      (err: unknown) => {
        if (!current()) return;
        // Refused (the visitor was reset, the workspace is gone): nothing left to listen to.
        if (isRevoked(err)) return handlers.revoked();
        if (err instanceof CVError && err.status !== undefined && err.status < 500) return;
        retry();
      },
    );
  }
}
