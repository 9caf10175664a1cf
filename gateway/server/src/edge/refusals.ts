import { auditEdgeRefusal, type AuditRecorder } from "@onecert/audit";
import type { Logger } from "@onecert/subgraph-kit";
import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";

/**
 * Answers what Node's HTTP parser refuses before any handler runs (headers past the size limit:
 * 431 HEADERS_TOO_LARGE; anything else unparsable: 400 BAD_REQUEST) with the gateway's error
 * shape, after recording the refusal in the audit trail. Node's default would answer 431 or 400
 * with no body and leave no record.
 */
export function edgeRefusalHandler(audit: AuditRecorder | null, logger: Logger) {
  return (error: NodeJS.ErrnoException, socket: Duplex): void => {
    // The peer went away, or a response is already under way: nothing to answer.
    if (error.code === "ECONNRESET" || !socket.writable) {
      socket.destroy();
      return;
    }
    const tooLarge = error.code === "HPE_HEADER_OVERFLOW";
    const status = tooLarge ? 431 : 400;
    const code = tooLarge ? "HEADERS_TOO_LARGE" : "BAD_REQUEST";
    const message = tooLarge ? "the request headers are too large" : "the request is not valid HTTP";
    const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
    const send = () =>
      socket.end(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json\r\n` +
          `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
    if (!audit) {
      send();
      return;
    }
    auditEdgeRefusal(audit, status, code, body).then(send, (failure: unknown) => {
      // A refusal carries no data: it is still sent, and the missing record is logged.
      logger.error({ err: failure, status }, "the audit record of a refused request failed");
      send();
    });
  };
}
