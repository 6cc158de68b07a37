/**
 * Browser mode: serves the built renderer and the API contract (POST /api/<operation>, uploads
 * as raw bytes, job events as server-sent events) on loopback, behind a token.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { API_OPERATIONS, type ApiHandlers, type ApiOperation } from '../shared/api.ts';
import { MAX_UPLOAD_BYTES } from '../shared/apiValidation.ts';
import { CONTENT_SECURITY_POLICY } from '../shared/csp.ts';
import { dispatchApi } from '../app/dispatch.ts';
import type { JobEvent, JobHost } from '../jobs/host.ts';
import { forwardToWindow } from '../jobs/windowEvents.ts';
import { authorize, tokenCookie } from './auth.ts';
import { resolveStatic, sendFile } from './staticFiles.ts';

export const MAX_JSON_BYTES = 1024 * 1024;

export interface BrowserServerOptions {
  handlers: ApiHandlers;
  host: JobHost;
  rendererDir: string;
  token: string;
  port?: number;
  bindAddress?: string;
}

export interface RunningServer {
  server: Server;
  url: string;
  port: number;
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

function sendText(res: ServerResponse, status: number, text: string): void {
  // After a refused body the connection cannot be reused: the client may still be sending.
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...(status === 413 ? { Connection: 'close' } : {}) });
  res.end(text + '\n');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      reject(new BodyTooLarge());
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLarge());
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startBrowserServer(options: BrowserServerOptions): Promise<RunningServer> {
  const rendererDir = path.resolve(options.rendererDir);
  const bindAddress = options.bindAddress ?? '127.0.0.1';
  const allowedHosts = new Set<string>();
  const sseClients = new Set<ServerResponse>();

  const offHost = options.host.onEvent((event: JobEvent) => {
    if (!forwardToWindow(event)) return;
    const payload = `data: ${JSON.stringify(event)}\n\n`;
    for (const client of sseClients) client.write(payload);
  });

  const server = createServer((req, res) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    void handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) sendText(res, 500, `internal error: ${(e as Error).message}`);
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://placeholder');
    const auth = authorize(req, url, options.token, { hosts: allowedHosts, port });
    if (!auth.ok) {
      sendText(res, auth.status, auth.reason);
      return;
    }
    if (auth.viaQuery) {
      // Swap the token in the address bar for a cookie, so it does not linger in history.
      res.writeHead(303, {
        'Set-Cookie': tokenCookie(options.token, port),
        Location: url.pathname,
      });
      res.end();
      return;
    }

    if (url.pathname === '/api/events') {
      if (req.method !== 'GET') return sendText(res, 405, 'use GET');
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
      res.write(': connected\n\n');
      sseClients.add(res);
      req.on('close', () => sseClients.delete(res));
      return;
    }

    if (url.pathname === '/api/openData/upload' || url.pathname === '/api/openSession/upload') {
      if (req.method !== 'POST') return sendText(res, 405, 'use POST');
      let body: Buffer;
      try {
        body = await readBody(req, MAX_UPLOAD_BYTES);
      } catch (e) {
        if (e instanceof BodyTooLarge) return sendText(res, 413, `uploads are limited to ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`);
        throw e;
      }
      const fileName = url.searchParams.get('fileName') ?? '';
      const content = new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
      const op = url.pathname === '/api/openData/upload' ? 'openData' : 'openSession';
      return sendJson(res, 200, await dispatchApi(options.handlers, op, { source: 'upload', fileName, content }));
    }

    if (url.pathname.startsWith('/api/')) {
      const op = url.pathname.slice('/api/'.length);
      if (!(API_OPERATIONS as readonly string[]).includes(op)) return sendText(res, 404, `no API operation "${op}"`);
      if (req.method !== 'POST') return sendText(res, 405, 'use POST');
      let parsed: unknown;
      try {
        const body = await readBody(req, MAX_JSON_BYTES);
        parsed = body.length === 0 ? undefined : JSON.parse(body.toString('utf8'));
      } catch (e) {
        if (e instanceof BodyTooLarge) return sendText(res, 413, `requests are limited to ${MAX_JSON_BYTES / 1024} KB`);
        return sendText(res, 400, 'the request body is not valid JSON');
      }
      return sendJson(res, 200, await dispatchApi(options.handlers, op as ApiOperation, parsed));
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'use GET');
    const file = resolveStatic(rendererDir, url.pathname);
    if (!file) return sendText(res, 404, 'not found');
    sendFile(res, file);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, bindAddress, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const hostNames =
    bindAddress === '127.0.0.1' || bindAddress === '::1' ? ['127.0.0.1', 'localhost', '[::1]'] : [bindAddress, '127.0.0.1', 'localhost'];
  for (const h of hostNames) allowedHosts.add(`${h}:${port}`);
  const shownHost = bindAddress === '0.0.0.0' ? '127.0.0.1' : bindAddress;

  return {
    server,
    port,
    url: `http://${shownHost}:${port}/?token=${options.token}`,
    close: async () => {
      offHost();
      for (const client of sseClients) client.end();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive sockets (and streams a page dropped) would otherwise hold the close open for
      // seconds; on shutdown every connection goes.
      server.closeAllConnections();
      await closed;
    },
  };
}
