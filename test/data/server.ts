/** A loopback HTTP server (127.0.0.1) serving files by name, with Range support and a switch to cut a response short. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestServer {
  readonly url: string;
  readonly files: Map<string, Buffer>;
  /** Requests seen: path and Range header. */
  readonly log: { path: string; range: string | null; status: number }[];
  /** File names whose next full (non-Range) response is cut off after this fraction of the body. */
  readonly cutOnce: Map<string, number>;
  close(): Promise<void>;
}

export async function startServer(): Promise<TestServer> {
  const files = new Map<string, Buffer>();
  const log: TestServer['log'] = [];
  const cutOnce = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? '/').replace(/^\/+/, ''));
    const range = req.headers.range ?? null;
    const body = files.get(name);
    if (!body) {
      log.push({ path: name, range, status: 404 });
      res.writeHead(404).end('not found');
      return;
    }
    const m = range ? /^bytes=(\d+)-$/.exec(range) : null;
    if (m) {
      const start = Number(m[1]);
      if (start >= body.length) {
        log.push({ path: name, range, status: 416 });
        res.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
        return;
      }
      log.push({ path: name, range, status: 206 });
      res.writeHead(206, { 'content-length': body.length - start, 'content-range': `bytes ${start}-${body.length - 1}/${body.length}`, 'accept-ranges': 'bytes' });
      res.end(body.subarray(start));
      return;
    }
    log.push({ path: name, range, status: 200 });
    res.writeHead(200, { 'content-length': body.length, 'accept-ranges': 'bytes' });
    const cut = cutOnce.get(name);
    if (cut !== undefined) {
      cutOnce.delete(name);
      // End the connection gracefully (FIN) so the client receives the partial body before it sees the close.
      res.write(body.subarray(0, Math.floor(body.length * cut)), () => res.socket?.end());
      return;
    }
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    files, log, cutOnce,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
