import { HEADERS, headerValue } from "@onecert/subgraph-kit";
import type { IncomingHttpHeaders } from "node:http";
import type { RequestPurpose } from "./types";

/** Who asks and why, as the request states it; the policy checks it for data requests. */
export function purposeOf(headers: IncomingHttpHeaders): RequestPurpose {
  return {
    operatorId: headerValue(headers, HEADERS.operator),
    matterCode: headerValue(headers, HEADERS.matter),
    caseNumber: headerValue(headers, HEADERS.caseNumber),
  };
}
