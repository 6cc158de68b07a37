/**
 * The Content-Security-Policy of the renderer, sent as a header by the browser-mode server and
 * by the Electron session. No inline or remote scripts, no eval, no plugins, no framing;
 * connections only to the app.
 */
const DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
];

export const CONTENT_SECURITY_POLICY = DIRECTIVES.join('; ');

/**
 * The same policy in src/renderer/index.html's <meta> tag (for a page loaded from a file, which
 * has no headers), without frame-ancestors: a browser ignores that directive in a <meta> tag and
 * logs an error saying so. The header carries it. A test keeps the two in step.
 */
export const META_CONTENT_SECURITY_POLICY = DIRECTIVES.filter((d) => !d.startsWith('frame-ancestors')).join('; ');
