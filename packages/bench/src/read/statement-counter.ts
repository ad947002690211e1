/**
 * A pass-through proxy in front of PostgreSQL that counts the statements clients execute: the
 * Execute messages of the extended protocol and the simple Query messages. Servers pointed at it
 * show how many statements a request costs, counted on the wire, whatever their driver does.
 */
import { connect, createServer, type Socket } from 'node:net';

export async function startStatementCounter(target: { host: string; port: number }) {
  let statements = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    sockets.add(client).add(upstream);
    upstream.pipe(client);
    let buffer: Buffer = Buffer.alloc(0);
    let started = false;
    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk);
      buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
      for (;;) {
        if (!started) {
          // Untyped start-up packets: SSLRequest / GSSENCRequest (answered, then the real one) or StartupMessage.
          if (buffer.length < 8) break;
          const length = buffer.readInt32BE(0);
          if (buffer.length < length) break;
          const code = buffer.readInt32BE(4);
          buffer = buffer.subarray(length);
          if (code !== 80877103 && code !== 80877104) started = true;
          continue;
        }
        if (buffer.length < 5) break;
        const length = buffer.readInt32BE(1);
        if (buffer.length < length + 1) break;
        const type = String.fromCharCode(buffer[0]!);
        if (type === 'E' || type === 'Q') statements++;
        buffer = buffer.subarray(length + 1);
      }
    });
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', close).on('error', close);
    upstream.on('close', close).on('error', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    count: () => statements,
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}
