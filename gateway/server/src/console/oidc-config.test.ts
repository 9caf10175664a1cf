import { ConfigError } from "@onecert/subgraph-kit";
import { describe, expect, it } from "vitest";
import { loadGatewayConfig } from "../config";

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadGatewayConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};

describe("single sign-on configuration", () => {
  it("is off without OIDC_ISSUER, whatever else is set", () => {
    expect(loadGatewayConfig({}).oidc).toBeUndefined();
    expect(loadGatewayConfig({ OIDC_CLIENT_ID: "console", OIDC_ISSUER: " " }).oidc).toBeUndefined();
  });

  it("reads the issuer, client, redirect URL, and the defaults of claim and scopes", () => {
    const env = {
      OIDC_ISSUER: "https://sso.gov.example/realms/staff",
      OIDC_CLIENT_ID: "onecert-console",
      OIDC_REDIRECT_URL: "https://console.gov.example/console/api/oidc/callback",
    };
    expect(loadGatewayConfig(env).oidc).toEqual({
      ...{ issuer: env.OIDC_ISSUER, clientId: "onecert-console", redirectUrl: env.OIDC_REDIRECT_URL },
      clientSecret: undefined,
      usernameClaim: "preferred_username",
      scopes: ["openid", "profile"],
    });
    const more = {
      ...env,
      OIDC_CLIENT_SECRET: "s",
      OIDC_USERNAME_CLAIM: "staff_id",
      OIDC_SCOPES: "openid, email openid",
    };
    expect(loadGatewayConfig(more).oidc).toMatchObject({
      clientSecret: "s",
      usernameClaim: "staff_id",
      scopes: ["openid", "email"],
    });
    // A developer's provider on this machine may speak plain HTTP.
    const local = {
      ...env,
      OIDC_ISSUER: "http://127.0.0.1:8080",
      OIDC_REDIRECT_URL: "http://localhost:4000/cb",
    };
    expect(problemsOf(local)).toEqual([]);
  });

  it("reports every problem at once: missing client and redirect, plain HTTP elsewhere, no openid scope", () => {
    expect(problemsOf({ OIDC_ISSUER: "https://sso.gov.example" })).toEqual([
      "OIDC_CLIENT_ID is required when OIDC_ISSUER is set",
      expect.stringMatching(/^OIDC_REDIRECT_URL is required when OIDC_ISSUER is set/),
    ]);
    const problems = problemsOf({
      OIDC_ISSUER: "http://sso.gov.example",
      OIDC_CLIENT_ID: "console",
      OIDC_REDIRECT_URL: "https://console.gov.example/cb?x=1",
      OIDC_SCOPES: "profile email",
      OIDC_USERNAME_CLAIM: "user name",
    });
    expect(problems).toEqual([
      expect.stringMatching(/^OIDC_USERNAME_CLAIM must be a claim name/),
      expect.stringMatching(/^OIDC_ISSUER must be an https URL/),
      expect.stringMatching(/^OIDC_REDIRECT_URL must be an https URL/),
      'OIDC_SCOPES must include "openid"',
    ]);
  });
});
