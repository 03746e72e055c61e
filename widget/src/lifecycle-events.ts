/**
 * Lifecycle events a site can listen to, dispatched on `window` as CustomEvents:
 *
 *   cv:identity-changed   { visitorId, customer: { id?, email? } | null }  a new visitor or customer
 *   cv:history-loaded     { visitorId, messages: number }                  a conversation is on screen
 *   cv:reset              { visitorId }                                    reset done; the new visitor's id
 *   cv:identity-rejected  { code, message }                                a tag was refused
 */
export interface LifecycleEvents {
  'identity-changed': { visitorId: string; customer: { id?: string; email?: string } | null };
  'history-loaded': { visitorId: string; messages: number };
  reset: { visitorId: string };
  'identity-rejected': { code: string; message: string };
}

export function emit<K extends keyof LifecycleEvents>(name: K, detail: LifecycleEvents[K]): void {
  window.dispatchEvent(new CustomEvent(`cv:${name}`, { detail }));
}
