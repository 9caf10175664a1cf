import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../support/stack";

// Mutual TLS between the gateway and the subgraphs, with certificates made here by openssl: the
// registries serve HTTPS and require a client certificate of the deployment's CA.

const dir = mkdtempSync(join(tmpdir(), "onecert-mtls-"));
const file = (name: string) => join(dir, name);
const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });

/** A CA, and a certificate it signs for `name` with the extensions in `ext`. */
function makeCa(name: string) {
  openssl(
    "req",
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:P-256",
    "-nodes",
    "-days",
    "1",
    "-keyout",
    file(`${name}.key`),
    "-out",
    file(`${name}.crt`),
    "-subj",
    `/CN=${name}`,
  );
}
function makeCert(name: string, ca: string, ext: string) {
  writeFileSync(file(`${name}.ext`), ext);
  openssl(
    "req",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:P-256",
    "-nodes",
    "-keyout",
    file(`${name}.key`),
    "-out",
    file(`${name}.csr`),
    "-subj",
    `/CN=${name}`,
  );
  openssl(
    "x509",
    "-req",
    "-in",
    file(`${name}.csr`),
    "-CA",
    file(`${ca}.crt`),
    "-CAkey",
    file(`${ca}.key`),
    "-CAcreateserial",
    "-days",
    "1",
    "-out",
    file(`${name}.crt`),
    "-extfile",
    file(`${name}.ext`),
  );
  return { cert: readFileSync(file(`${name}.crt`), "utf8"), key: readFileSync(file(`${name}.key`), "utf8") };
}

let t: TestStack;
let ca: string;

beforeAll(async () => {
  makeCa("deployment-ca");
  makeCa("other-ca");
  ca = readFileSync(file("deployment-ca.crt"), "utf8");
  const server = makeCert(
    "registry",
    "deployment-ca",
    "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n",
  );
  const client = makeCert("gateway", "deployment-ca", "extendedKeyUsage=clientAuth\n");
  t = await startTestStack({ tls: { server: { ...server, ca }, gateway: { ca, ...client } } });
}, 120_000);

afterAll(async () => {
  await t?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A POST over HTTPS trusting the deployment's CA, with `client` as its certificate if given. */
function post(url: string, client?: { cert: string; key: string }): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: "POST", ca, ...client, headers: { "content-type": "application/json" } },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(JSON.stringify({ query: "{ __typename }" }));
  });
}

describe("mutual TLS between the gateway and the subgraphs", () => {
  it("serves every registry over HTTPS and the gateway reaches them with its certificate", async () => {
    expect(t.stack.registries.every((registry) => registry.url.startsWith("https://"))).toBe(true);
    expect(t.stack.certificates.url.startsWith("https://")).toBe(true);
    const reply = await t.gql<{ person: { name: string; realEstate: unknown[] } }>(
      `query($id: IdNumber!) { person(idNumber: $id) { name realEstate { unitNumber } } }`,
      { id: t.sample("person-two-homes") },
    );
    expect(reply.errors).toBeUndefined();
    expect(reply.data!.person.realEstate).toHaveLength(2);
    const ready = await fetch(t.stack.gateway.url.replace(/\/graphql$/, "/ready"), {
      headers: { authorization: `Bearer ${t.keys.admin}` },
    });
    expect(ready.status).toBe(200);
  });

  it("refuses a caller without a client certificate, or with one of another CA, at the handshake", async () => {
    const population = t.stack.registries.find((registry) => registry.name === "population")!.url;
    await expect(post(population)).rejects.toThrow();
    makeCert("intruder", "other-ca", "extendedKeyUsage=clientAuth\n");
    const intruder = {
      cert: readFileSync(file("intruder.crt"), "utf8"),
      key: readFileSync(file("intruder.key"), "utf8"),
    };
    await expect(post(population, intruder)).rejects.toThrow();
    // With the deployment's certificate the connection is made; the request still needs an assertion.
    const gateway = {
      cert: readFileSync(file("gateway.crt"), "utf8"),
      key: readFileSync(file("gateway.key"), "utf8"),
    };
    expect(await post(population, gateway)).toBe(401);
  });
});
