import { describe, expect, it } from "vitest";
import { redactUrl } from "./http";

describe("the path an audit record keeps", () => {
  it("keeps that a credential was in the URL, not its value", () => {
    expect(redactUrl("/console/api/oidc/callback?code=abc.def&state=s3cr3t&iss=https%3A%2F%2Fidp")).toBe(
      "/console/api/oidc/callback?code=REDACTED&state=REDACTED&iss=https%3A%2F%2Fidp",
    );
    expect(redactUrl("/graphql?access_token=t0ken")).toBe("/graphql?access_token=REDACTED");
  });

  it("leaves other parameters alone, also those whose name ends in one of them", () => {
    const search = "/admin/audit/records?subject=110101199003070011&errorCode=FORBIDDEN&postcode=100000";
    expect(redactUrl(search)).toBe(search);
  });
});
