import { describe, expect, it } from "vitest";
import { ChecksInFlight, checkTokenOf } from "./in-flight";

describe("checks in flight", () => {
  it("recognise a check's data request by its token and client, only while the check runs", () => {
    const checks = new ChecksInFlight();
    const check = checks.begin("cl_window");
    const other = checks.begin("cl_window");
    expect(check.token).not.toBe(other.token);
    expect(checks.isDataRequest(check.token, "cl_window")).toBe(true);
    expect(checks.isDataRequest(check.token, "cl_other")).toBe(false);
    expect(checks.isDataRequest("guessed", "cl_window")).toBe(false);
    expect(checks.isDataRequest(undefined, "cl_window")).toBe(false);
    expect(checks.isDataRequest(check.token, undefined)).toBe(false);
    check.done();
    check.done();
    expect(checks.isDataRequest(check.token, "cl_window")).toBe(false);
    other.done();
    expect(checks.isDataRequest(other.token, "cl_window")).toBe(false);
  });

  it("reads the token of an incoming request", () => {
    expect(checkTokenOf({ "x-onecert-check": "abc" })).toBe("abc");
    expect(checkTokenOf({})).toBeUndefined();
  });
});
