/**
 * The Content-Security-Policy of the renderer, sent as a header by the browser-mode server and
 * by the Electron session, and repeated in src/renderer/index.html (a test keeps them equal).
 * No inline or remote scripts, no eval, no plugins, no framing; connections only to the app.
 */
export const CONTENT_SECURITY_POLICY = [
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
].join('; ');
