/**
 * Probes installed in a page before its own scripts, reporting to the test over a binding (so
 * they survive navigations): hostile payloads that managed to run, and Content-Security-Policy
 * violations the page reported.
 */
import type { Page } from '@playwright/test';

/** The function hostile payloads call when they run: `window.__cvPwned('where')`. */
export const PWNED = '__cvPwned';

/** Records every call of window.__cvPwned: each is a payload that ran. */
export async function watchPayloads(page: Page): Promise<string[]> {
  const ran: string[] = [];
  await page.exposeBinding(PWNED, (_source, where: unknown) => {
    ran.push(String(where));
  });
  return ran;
}

export interface Violation {
  directive: string;
  blocked: string;
  sample: string;
}

/** Records every securitypolicyviolation event of the page's documents. */
export async function watchCspViolations(page: Page): Promise<Violation[]> {
  const violations: Violation[] = [];
  await page.exposeBinding('__cvCspViolation', (_source, v: Violation) => {
    violations.push(v);
  });
  await page.addInitScript(() => {
    document.addEventListener(
      'securitypolicyviolation',
      (e) => {
        const report = (window as unknown as { __cvCspViolation: (v: unknown) => void }).__cvCspViolation;
        report({ directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample });
      },
      true,
    );
  });
  return violations;
}
