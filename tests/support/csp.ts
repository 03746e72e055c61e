/**
 * Whether a site's Content-Security-Policy lets its pages reach the widget's vendor: the
 * `connect-src` directive (or `default-src` where it has none) of every policy the site sends.
 * It answers with the directive that blocks, so that the report can name it. Source
 * expressions are matched as CSP Level 3 does for the cases sites use: 'none', *, 'self',
 * schemes, and hosts with optional wildcard subdomain and port.
 */

function sourceAllows(source: string, siteOrigin: URL, target: URL): boolean {
  const s = source.toLowerCase();
  if (s === '*') return ['http:', 'https:', 'ws:', 'wss:'].includes(target.protocol);
  if (s === "'self'") return target.origin === siteOrigin.origin;
  if (/^[a-z][a-z0-9+.-]*:$/.test(s)) return target.protocol === s;
  const host = /^(?:([a-z][a-z0-9+.-]*):\/\/)?(\*\.)?([^:/]+|\*)(?::(\d+|\*))?(\/.*)?$/.exec(s);
  if (!host) return false;
  const [, scheme, wildcard, name, port] = host;
  if (scheme && `${scheme}:` !== target.protocol) return false;
  if (!scheme && !['http:', 'https:'].includes(target.protocol)) return false;
  const hostname = target.hostname.toLowerCase();
  if (name !== '*' && (wildcard ? !hostname.endsWith(`.${name}`) : hostname !== name)) return false;
  const targetPort = target.port || (target.protocol === 'https:' ? '443' : '80');
  if (port === '*') return true;
  return (port ?? (target.protocol === 'https:' ? '443' : '80')) === targetPort;
}

/** The blocking directive as the site wrote it, or null when every policy allows `target`. */
export function connectBlockedBy(policies: string | null, siteOrigin: string, target: string): string | null {
  if (!policies) return null;
  for (const policy of policies.split(',')) {
    const directives = new Map(
      policy
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .filter((parts) => parts[0])
        .map(([name, ...sources]) => [name!.toLowerCase(), sources] as const),
    );
    const name = directives.has('connect-src') ? 'connect-src' : directives.has('default-src') ? 'default-src' : undefined;
    if (!name) continue;
    const sources = directives.get(name)!;
    if (!sources.some((s) => sourceAllows(s, new URL(siteOrigin), new URL(target)))) return `${name} ${sources.join(' ')}`;
  }
  return null;
}
