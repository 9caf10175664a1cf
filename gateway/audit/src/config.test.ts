import { describe, expect, it } from "vitest";
import { readAuditConfig } from "./config";

describe("audit configuration", () => {
  it("defaults to fail closed, three years of retention and working hours 08:00-18:00 on weekdays", () => {
    const problems: string[] = [];
    const config = readAuditConfig({}, problems);
    expect(problems).toEqual([]);
    expect(config).toMatchObject({
      failureMode: "fail-closed",
      retentionDays: 1095,
      batchMax: 256,
      checkpointEvery: 1000,
      anomalies: {
        workStartMinute: 480,
        workEndMinute: 1080,
        workingDays: [1, 2, 3, 4, 5],
        timeZone: "Asia/Shanghai",
      },
    });
  });

  it("keeps the signing key in a file unless told, and in production seals a database-kept one", () => {
    const problems: string[] = [];
    expect(readAuditConfig({}, problems)).toMatchObject({ signingKeyStore: "file", rotateAfterDays: 90 });
    const database = readAuditConfig(
      { AUDIT_SIGNING_KEY_STORE: "database", AUDIT_SIGNING_KEY_ROTATE_DAYS: "30" },
      problems,
    );
    expect(database).toMatchObject({ signingKeyStore: "database", rotateAfterDays: 30 });
    expect(problems).toEqual([]);
    readAuditConfig({ AUDIT_SIGNING_KEY_STORE: "database", NODE_ENV: "production" }, problems);
    expect(problems).toEqual([
      expect.stringMatching(/^AUDIT_SIGNING_KEY_STORE=database needs AUDIT_SIGNING_KEY_SECRET/),
    ]);
    const sealed: string[] = [];
    readAuditConfig(
      { AUDIT_SIGNING_KEY_STORE: "database", NODE_ENV: "production", AUDIT_SIGNING_KEY_SECRET: "s3cret" },
      sealed,
    );
    readAuditConfig({ AUDIT_SIGNING_KEY_STORE: "vault", AUDIT_SIGNING_KEY_ROTATE_DAYS: "0" }, sealed);
    expect(sealed.map((problem) => problem.split(" ")[0]).sort()).toEqual([
      "AUDIT_SIGNING_KEY_ROTATE_DAYS",
      "AUDIT_SIGNING_KEY_STORE",
    ]);
  });

  it("reads every setting and names each bad one", () => {
    const problems: string[] = [];
    const config = readAuditConfig(
      {
        AUDIT_FAILURE_MODE: "spool",
        AUDIT_WORKING_HOURS: "09:30-17:00",
        AUDIT_WORKING_DAYS: "1-5,7",
        AUDIT_TIME_ZONE: "Europe/Berlin",
        AUDIT_RETENTION_DAYS: "30",
      },
      problems,
    );
    expect(problems).toEqual([]);
    expect(config.failureMode).toBe("spool");
    expect(config.anomalies).toMatchObject({
      workStartMinute: 570,
      workEndMinute: 1020,
      workingDays: [1, 2, 3, 4, 5, 7],
    });
    readAuditConfig(
      {
        AUDIT_FAILURE_MODE: "maybe",
        AUDIT_WORKING_HOURS: "18:00-08:00",
        AUDIT_WORKING_DAYS: "mon",
        AUDIT_TIME_ZONE: "Mars/Olympus",
        AUDIT_BATCH_MAX: "0",
      },
      problems,
    );
    expect(problems.map((problem) => problem.split(" ")[0]).sort()).toEqual([
      "AUDIT_BATCH_MAX",
      "AUDIT_FAILURE_MODE",
      "AUDIT_TIME_ZONE",
      "AUDIT_WORKING_DAYS",
      "AUDIT_WORKING_HOURS",
    ]);
  });

  it("signs in the deployment's suite, and a bad CRYPTO_SUITE is a problem, not a silent default", () => {
    expect(readAuditConfig({ CRYPTO_SUITE: "national" }, []).suite.name).toBe("national");
    expect(readAuditConfig({ CRYPTO_SUITE: "national" }, []).signingKeyFile).toMatch(
      /audit-signing-key-national\.pem$/,
    );
    const problems: string[] = [];
    expect(readAuditConfig({ CRYPTO_SUITE: "sm" }, problems).suite.name).toBe("standard");
    expect(problems).toEqual(['CRYPTO_SUITE must be "standard" or "national", got "sm"']);
  });
});
