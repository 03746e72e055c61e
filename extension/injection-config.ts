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
  kind: 'widget' | 'tag' | 'reset' | 'settled' | 'error';
  detail: string;
}
