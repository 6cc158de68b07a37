/**
 * Browser-mode access control: a random token printed in the URL (like Jupyter), exchanged for
 * an HttpOnly cookie on first load. Every request without one or the other is refused, and a
 * request whose Origin or Host is not this server is refused too (other web pages, DNS rebinding).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'dagflow_token';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function cookieToken(req: IncomingMessage): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === TOKEN_COOKIE) return v.join('=');
  }
  return undefined;
}

export type AuthResult = { ok: true; viaQuery: boolean } | { ok: false; status: 401 | 403; reason: string };

export function authorize(req: IncomingMessage, url: URL, token: string, allowedHosts: ReadonlySet<string>): AuthResult {
  const host = req.headers.host ?? '';
  if (!allowedHosts.has(host)) return { ok: false, status: 403, reason: `host "${host}" is not this server` };
  const origin = req.headers.origin;
  if (origin !== undefined && !allowedHosts.has(origin.replace(/^https?:\/\//, ''))) {
    return { ok: false, status: 403, reason: `requests from ${origin} are not allowed` };
  }
  const queryToken = url.searchParams.get('token');
  if (queryToken !== null) {
    return sameSecret(queryToken, token) ? { ok: true, viaQuery: true } : { ok: false, status: 403, reason: 'wrong token' };
  }
  const bearer = req.headers.authorization?.match(/^Bearer (.+)$/)?.[1];
  const presented = bearer ?? cookieToken(req);
  if (presented === undefined) return { ok: false, status: 401, reason: 'a token is required: open the URL that `npm run serve` printed' };
  return sameSecret(presented, token) ? { ok: true, viaQuery: false } : { ok: false, status: 403, reason: 'wrong token' };
}
