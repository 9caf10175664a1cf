import * as oidc from "openid-client";
import { describe, expect, it } from "vitest";
import { clientAuthMethod, OidcRefusal, refusalOf } from "./oidc-provider";

const clientError = (message: string, code: string, cause?: Error) =>
  new oidc.ClientError(message, { cause, code } as ErrorOptions);

describe("single sign-on against the identity provider", () => {
  it("authenticates at the token endpoint as the provider offers: basic first, none without a secret", () => {
    expect(clientAuthMethod(undefined, true)).toBe("client_secret_basic");
    expect(clientAuthMethod(["client_secret_post", "client_secret_basic"], true)).toBe("client_secret_basic");
    expect(clientAuthMethod(["private_key_jwt", "client_secret_post"], true)).toBe("client_secret_post");
    expect(clientAuthMethod(["client_secret_basic"], false)).toBe("none");
  });

  it("names each failure of the exchange by its refusal code", () => {
    const codeOf = (error: unknown) => refusalOf(error)?.code ?? null;
    const rejected = new oidc.ResponseBodyError("server responded with an error", {
      cause: { error: "invalid_grant" },
      response: new Response(null, { status: 400 }),
    });
    expect(refusalOf(rejected)).toMatchObject({
      code: "OIDC_CODE_REJECTED",
      status: 401,
      message: expect.stringContaining("invalid_grant"),
    });
    const denied = new oidc.AuthorizationResponseError("error", {
      cause: new URLSearchParams({ error: "access_denied" }),
    });
    expect(codeOf(denied)).toBe("OIDC_IDP_ERROR");
    expect(codeOf(new TypeError("fetch failed"))).toBe("OIDC_UNAVAILABLE");
    expect(codeOf(clientError("operation timed out", "OAUTH_TIMEOUT"))).toBe("OIDC_UNAVAILABLE");
    expect(codeOf(clientError("unexpected HTTP response status code", "OAUTH_RESPONSE_IS_NOT_CONFORM"))).toBe(
      "OIDC_UNAVAILABLE",
    );
    const nonce = clientError(
      "unexpected JWT claim value encountered",
      "OAUTH_JWT_CLAIM_COMPARISON_FAILED",
      new Error('unexpected ID Token "nonce" claim value'),
    );
    expect(refusalOf(nonce)).toMatchObject({
      code: "OIDC_TOKEN_INVALID",
      message: 'the ID token is not valid: unexpected ID Token "nonce" claim value',
    });
    const mine = new OidcRefusal("OIDC_UNAVAILABLE", "down");
    expect(refusalOf(mine)).toBe(mine);
    // Anything else is the gateway's own fault: no refusal, a 500 with nothing of it shown.
    expect(refusalOf(new Error("database unavailable"))).toBeNull();
    expect(refusalOf(new TypeError("x is not a function"))).toBeNull();
  });
});
