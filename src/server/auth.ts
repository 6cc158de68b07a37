/**
 * Browser-mode access control: a random token printed in the URL (like Jupyter), exchanged for
 * an HttpOnly cookie on first load. Every request without one or the other is refused, and a
 * request whose Origin or Host is not this server is refused too (other web pages, DNS rebinding).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * The name of this server's token cookie. Browsers send a cookie to every port of a host
 * (RFC 6265 §8.5), so a fixed name would let a second DAGFlow server on 127.0.0.1 overwrite the
 * first one's cookie (its tab then gets "wrong token"). The port in the name keeps each server's
 * cookie apart. Other local servers still receive it: a browser cannot scope a cookie to a port,
 * which is why the token is checked with Origin and Host and never trusted alone.
 */
export function tokenCookieName(port: number): string {
  return `dagflow_token_${port}`;
}

/** The Set-Cookie value that swaps the URL token for a cookie of this server. */
export function tokenCookie(token: string, port: number): string {
  return `${tokenCookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function cookieToken(req: IncomingMessage, cookieName: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === cookieName) return v.join('=');
  }
  return undefined;
}

/** Who this server is: the Host values it answers to, and the port that names its cookie. */
export interface ServerIdentity {
  /** `name:port` for every name of this server (127.0.0.1:5173, localhost:5173 …). */
  hosts: ReadonlySet<string>;
  port: number;
}

/**
 * Whether a request's Origin is exactly this server: `http://` and one of its `name:port`.
 * `https://` on the same host and port is another origin (and not a server we run), and so is
 * any path, user part or trailing text.
 */
export function isOwnOrigin(origin: string, hosts: ReadonlySet<string>): boolean {
  return origin.startsWith('http://') && hosts.has(origin.slice('http://'.length));
}

/** Header text echoed in a refusal: bounded and free of control characters. */
function shown(value: string): string {
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  const clean = value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, '?');
  return JSON.stringify(clean.length > 80 ? `${clean.slice(0, 80)}…` : clean);
}

export type AuthResult = { ok: true; viaQuery: boolean } | { ok: false; status: 401 | 403; reason: string };

export function authorize(req: IncomingMessage, url: URL, token: string, server: ServerIdentity): AuthResult {
  const host = req.headers.host ?? '';
  if (!server.hosts.has(host)) return { ok: false, status: 403, reason: `host ${shown(host)} is not this server` };
  const origin = req.headers.origin;
  if (origin !== undefined && !isOwnOrigin(origin, server.hosts)) {
    return { ok: false, status: 403, reason: `requests from ${shown(origin)} are not allowed` };
  }
  const queryToken = url.searchParams.get('token');
  if (queryToken !== null) {
    return sameSecret(queryToken, token) ? { ok: true, viaQuery: true } : { ok: false, status: 403, reason: 'wrong token' };
  }
  const bearer = req.headers.authorization?.match(/^Bearer (.+)$/)?.[1];
  const presented = bearer ?? cookieToken(req, tokenCookieName(server.port));
  if (presented === undefined) return { ok: false, status: 401, reason: 'a token is required: open the URL that `npm run serve` printed' };
  return sameSecret(presented, token) ? { ok: true, viaQuery: false } : { ok: false, status: 403, reason: 'wrong token' };
}
