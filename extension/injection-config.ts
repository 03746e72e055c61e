/**
 * What the harness tells the injected integration (extension/src/integration.ts) about the
 * site and the workspace: shared by the code that builds the injection and the code injected.
 */
import type { SignedInProbe } from '../sites/adapter.js';

/** The profile the integration tags an account with (the fields of CV.user.tag it uses). */
export interface TagProfile {
  email: string;
  firstname: string;
  lastname: string;
}

export interface InjectionConfig {
  workspaceId: string;
  /** Where the widget reaches the vendor: …/cdn/js/<workspaceId>.js is its script URL. */
  vendorBase: string;
  /** The accounts by the name the page shows them under. */
  accounts: Record<string, TagProfile>;
  signedIn: SignedInProbe;
}

/** One line of the integration's log: what it saw and what it called. */
export interface IntegrationEvent {
  at: number;
  kind: 'widget' | 'tag' | 'reset' | 'settled' | 'error' | 'event' | 'api';
  detail: string;
}

/** What the page's integration reports now: read by the extension's panel and attached to failed tests. */
export interface IntegrationState {
  workspaceId: string;
  vendorBase: string;
  page: string;
  /** Who the page shows signed in (null: nobody; undefined: it cannot tell yet). */
  signedIn: string | null | undefined;
  /** The account this page tagged, if any. */
  taggedHere: string | null;
  visitorId: string | null;
  /** Where the visitor id is kept, found by looking for it: sessionStorage, localStorage, a cookie. */
  visitorIdIn: string[];
  /** The status of the last call to the vendor's API, and whether a token was refused (401) since the last reset. */
  lastApiStatus: number | null;
  tokenRefused: boolean;
  log: IntegrationEvent[];
}
