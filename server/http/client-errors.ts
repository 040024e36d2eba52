/**
 * Requests Node's HTTP parser rejects before Hono sees them (headers too large, a malformed
 * request line or header) get the API's JSON error body, like every other error, instead of
 * Node's bare `400 Bad Request` with no body.
 */
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ServerType } from '@hono/node-server';

interface ParserRejection {
  status: number;
  reason: string;
  code: string;
  message: string;
}

/** The response for a parser error code (`HPE_*`, `ERR_HTTP_REQUEST_TIMEOUT`). */
export function parserRejection(errorCode: string | undefined): ParserRejection {
  if (errorCode === 'HPE_HEADER_OVERFLOW') {
    return {
      status: 431,
      reason: 'Request Header Fields Too Large',
      code: 'headers_too_large',
      message: 'The request headers are too large (16 KiB at most, cookies included).',
    };
  }
  if (errorCode === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return { status: 408, reason: 'Request Timeout', code: 'request_timeout', message: 'The request was not received in time.' };
  }
  return { status: 400, reason: 'Bad Request', code: 'bad_request', message: 'The request is not valid HTTP.' };
}

/** Answers requests the HTTP parser rejects on `server` with a JSON `{error:{code,message}}`. */
export function answerClientErrorsWithJson(server: ServerType): void {
  (server as Server).on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // A response already started on this connection, or the client is gone: nothing to answer.
    const started = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent;
    if (error.code === 'ECONNRESET' || !socket.writable || started) {
      socket.destroy();
      return;
    }
    const { status, reason, code, message } = parserRejection(error.code);
    const body = JSON.stringify({ error: { code, message } });
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });
}
