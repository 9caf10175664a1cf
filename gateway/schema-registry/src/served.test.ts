import { buildSubgraph, printSchema } from "@apollo/federation-internals";
import { Refusal, ROOT, type Db } from "@onecert/subgraph-kit";
import { openTestDb } from "@onecert/subgraph-kit/testing";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unifiedDiff } from "./line-diff";
import type { SubgraphPost } from "./probe";
import { servedCheck, type ServedTarget } from "./served";
import type { ChangeRequest } from "./service";
import { stampShareOwners } from "./share";
import { actor, testRegistry, type TestRegistry } from "./testing";

const URL = "http://127.0.0.1:1/marriage";
const marriageSdl = (variant = "schema") =>
  readFileSync(join(ROOT, "test", "fixtures", "marriage", `${variant}.graphql`), "utf8");
// What an Apollo subgraph answers to `_service { sdl }`: its schema re-printed, federation definitions added.
const apolloServed = (sdl: string) => printSchema(buildSubgraph("marriage", URL, sdl).schema);

/** A subgraph answering `_service { sdl }` with whatever `serving.sdl` is; `calls` counts the calls. */
function fakeSubgraph(sdl: string) {
  const serving = { sdl, calls: [] as string[] };
  const post: SubgraphPost = async (_name, url) => {
    serving.calls.push(url);
    return Response.json({ data: { _service: { sdl: serving.sdl } } });
  };
  return { serving, post };
}

const target = (sdl: string): ServedTarget => ({
  name: "marriage",
  url: URL,
  sdl: stampShareOwners(sdl, "civil-affairs"),
  department: "civil-affairs",
});

async function refusal(work: Promise<unknown>): Promise<Refusal> {
  const error = await work.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(Refusal);
  return error as Refusal;
}

describe("the check of what a subgraph serves", () => {
  it("accepts the SDL the subgraph serves, though re-printed with the federation definitions", async () => {
    const { serving, post } = fakeSubgraph(apolloServed(marriageSdl()));
    await servedCheck({ post })(target(marriageSdl()));
    expect(serving.calls).toEqual([URL]);
  });

  it("accepts an SDL differing only in whitespace and comments", async () => {
    const { post } = fakeSubgraph(apolloServed(marriageSdl()));
    const spaced = `# submitted by hand\n${marriageSdl().replaceAll("\n", "\n\n").replaceAll("  ", "\t")}`;
    await servedCheck({ post })(target(spaced));
  });

  it("refuses another SDL with SDL_MISMATCH and a unified diff naming the differing line", async () => {
    const { post } = fakeSubgraph(apolloServed(marriageSdl("breaking")));
    const refused = await refusal(servedCheck({ post })(target(marriageSdl())));
    expect(refused).toMatchObject({ code: "SDL_MISMATCH", status: 409 });
    const { diff } = refused.details as { diff: string };
    expect(diff).toMatch(
      /^--- submitted\n\+\+\+ served by marriage at http:\/\/127\.0\.0\.1:1\/marriage\n@@ /,
    );
    expect(diff.split("\n").filter((line) => /^[-+] /.test(line))).toEqual(["-  registeredOn: Date!"]);
    expect(refused.message).toContain("-  registeredOn: Date!");
  });

  it("asks the subgraph at the URL this gateway reaches it at", async () => {
    const { serving, post } = fakeSubgraph(apolloServed(marriageSdl()));
    await servedCheck({ post, urlInUse: () => "http://marriage.internal/graphql" })(target(marriageSdl()));
    expect(serving.calls).toEqual(["http://marriage.internal/graphql"]);
  });

  it("refuses when the subgraph does not answer, with SUBGRAPH_UNREACHABLE", async () => {
    const post: SubgraphPost = () => Promise.reject(new TypeError("fetch failed"));
    const refused = await refusal(servedCheck({ post })(target(marriageSdl())));
    expect(refused).toMatchObject({ code: "SUBGRAPH_UNREACHABLE", status: 502 });
    expect(refused.message).toMatch(/unreachable; the registry publishes only an SDL its subgraph serves/);
  });
});

describe("unifiedDiff", () => {
  it("numbers hunks as diff -u does, with context around each change", () => {
    const before = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"].join("\n");
    const after = ["a", "b", "c", "d", "E", "f", "g", "h", "i", "j", "k"].join("\n");
    expect(unifiedDiff(before, after, { before: "old", after: "new" }, 1).split("\n")).toEqual([
      "--- old",
      "+++ new",
      "@@ -4,3 +4,3 @@",
      " d",
      "-e",
      "+E",
      " f",
      "@@ -10,1 +10,2 @@",
      " j",
      "+k",
    ]);
    expect(unifiedDiff(before, before, { before: "old", after: "new" })).toBe("");
  });
});

describe("publishing through the registry service", () => {
  let db: Db;
  let registry: TestRegistry;
  const subgraph = fakeSubgraph("");
  const civil = actor("department", "civil-affairs");
  const register: ChangeRequest = {
    kind: "register",
    subgraph: { name: "marriage", department: "civil-affairs", url: URL, sdl: marriageSdl() },
  };

  beforeAll(async () => {
    db = await openTestDb();
    registry = await testRegistry(db, { served: servedCheck({ post: subgraph.post }) });
  });
  afterAll(async () => {
    await registry.close();
    await db.close();
  });

  it("refuses to register an SDL the subgraph does not serve, and publishes nothing", async () => {
    subgraph.serving.sdl = apolloServed(marriageSdl("breaking"));
    const refused = await refusal(registry.service.publish(register, civil));
    expect(refused.code).toBe("SDL_MISMATCH");
    expect(await registry.store.latestVersion()).toBe(1);
  });

  it("refuses a change for what it is before asking the subgraph", async () => {
    const calls = subgraph.serving.calls.length;
    const broken = { ...register, subgraph: { ...register.subgraph, sdl: marriageSdl("broken") } };
    expect((await refusal(registry.service.publish(broken, civil))).code).toBe("COMPOSITION_FAILED");
    expect(subgraph.serving.calls).toHaveLength(calls);
  });

  it("registers what the subgraph serves, and updates a contact without asking it", async () => {
    subgraph.serving.sdl = apolloServed(marriageSdl());
    expect((await registry.service.publish(register, civil)).version.version).toBe(2);
    const calls = subgraph.serving.calls.length;
    const contact: ChangeRequest = { kind: "update", subgraph: { name: "marriage", contact: "desk" } };
    expect((await registry.service.publish(contact, civil)).version.version).toBe(3);
    expect(subgraph.serving.calls).toHaveLength(calls);
    const moved: ChangeRequest = { kind: "update", subgraph: { name: "marriage", url: `${URL}/v2` } };
    subgraph.serving.sdl = apolloServed(marriageSdl("breaking"));
    expect((await refusal(registry.service.publish(moved, civil))).code).toBe("SDL_MISMATCH");
  });
});
