import { randomUUID } from "node:crypto";
import {
  chainEntries,
  checkpointProblem,
  GENESIS_HASH,
  keyMap,
  openSigningKey,
  recordLeafHash,
  signCheckpoint,
  treeSigner,
  treeVerifier,
  treeHeadProblem,
  hashSuiteOf,
  signTreeHead,
  TreeBuilder,
  treeHeadOf,
  type SigningKey,
} from "@onecert/audit";
import { sampleEntry } from "@onecert/audit/testing";
import { verifyProofToken } from "@onecert/certificates";
import {
  KEYRING_SCHEMA,
  keyringMigrations,
  migrate,
  nationalSuite,
  openDb,
  signJwt,
  standardSuite,
  type CryptoSuite,
} from "@onecert/subgraph-kit";
import { hopCryptoMicros } from "../hop-cost";
import type { StandaloneScenario } from "../scenario";

const SUITES: readonly CryptoSuite[] = [standardSuite, nationalSuite];
/** Records per checkpoint: AUDIT_CHECKPOINT_EVERY's default. */
const PER_CHECKPOINT = 1000;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** CPU time (user + system) of `count` runs of `fn`, µs each. */
async function cpuMicros(count: number, fn: () => unknown): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < count; i += 1) await fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / count;
}

/** A proof as the certificates service signs it (signProof's header and claims), verified from the JWKS. */
function proofOps(suite: CryptoSuite) {
  const key = suite.generateKeyPair();
  const kid = suite.thumbprint(key.publicKey);
  const jwk = { ...key.publicKey.jwk, kid, alg: suite.jwsAlg, use: "sig" };
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    iss: "onecert",
    sub: "110105********002X",
    iat: now,
    exp: now + 86_400,
    cert: "no-housing",
    subject_kind: "applicant",
    verdict: "SATISFIED",
    evidence_sha256: "n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg",
    registries: ["property"],
    matter: "public-rental-housing",
    case: "PRH-7",
  };
  return async () => {
    const token = signJwt(suite, key, { kid, typ: "onecert-proof+jwt" }, { ...claims, jti: randomUUID() });
    const check = await verifyProofToken(token, [jwk], { issuer: "onecert" });
    if (!check.valid) throw new Error(`the bench's proof does not verify: ${check.reason}`);
  };
}

/**
 * One checkpoint as the writer makes it every PER_CHECKPOINT records: the new records' leaves
 * appended to a tree of 10,000, its root, the tree head and the chain checkpoint signed, and both
 * verified as a witness or `audit verify` would. Record hashes are measured apart (per record).
 */
function checkpointOps(key: SigningKey) {
  const hashes = chainEntries(
    { seq: 0, hash: GENESIS_HASH, loggedAt: new Date(0) },
    Array.from({ length: PER_CHECKPOINT }, (_, i) => sampleEntry(i)),
    new Date(),
    key.suite,
  ).map((record) => record.hash);
  const suite = hashSuiteOf(key.suite);
  const base = new TreeBuilder(suite);
  for (let i = 0; i < 10_000; i += 1) base.append(recordLeafHash(hashes[i % PER_CHECKPOINT], suite));
  const trusted = keyMap([key.publicKey]);
  const signer = treeSigner(key);
  return async () => {
    const tree = TreeBuilder.resume(base.frontier(), suite);
    for (const hash of hashes) tree.append(recordLeafHash(hash, suite));
    const head = await signTreeHead(treeHeadOf(tree.size, tree.root(), new Date(), suite), signer);
    const checkpoint = signCheckpoint(key, tree.size, hashes[hashes.length - 1], new Date());
    if (treeHeadProblem(head, treeVerifier(trusted)) || checkpointProblem(checkpoint, trusted))
      throw new Error("the bench's checkpoint does not verify");
  };
}

/** Hashing one record into the chain (canonical JSON and digest), in batches as group commit makes them. */
function recordOps(suite: CryptoSuite) {
  const entries = Array.from({ length: 100 }, (_, i) => sampleEntry(i));
  const head = { seq: 0, hash: GENESIS_HASH, loggedAt: new Date(0) };
  return () => chainEntries(head, entries, new Date(), suite);
}

interface Row {
  label: string;
  /** Median µs per operation by suite name. */
  micros: Record<string, number>;
}

/**
 * What each artefact costs in each crypto suite, CPU time per operation: a proof signed and
 * verified, a checkpoint (tree head and checkpoint signed over 1,000 new records, and verified),
 * a record hashed into the chain, and a subgraph fetch's hop assertion signed and verified. Rounds
 * alternate which suite goes first; each figure is the median of the rounds.
 */
export const scenario: StandaloneScenario = {
  name: "suites",
  standalone: true,
  async run() {
    const rounds = Number(process.env.BENCH_ROUNDS || 5);
    const db = openDb();
    await migrate(db, KEYRING_SCHEMA, keyringMigrations);
    const keys = new Map(
      SUITES.map((suite) => [suite.name, openSigningKey(suite.generateKeyPair().exportPem())]),
    );
    const ops = SUITES.map((suite) => ({
      suite,
      proof: proofOps(suite),
      checkpoint: checkpointOps(keys.get(suite.name)!),
      record: recordOps(suite),
    }));
    const seen: Record<string, Record<string, number[]>> = {};
    const note = (label: string, suite: string, value: number) => {
      ((seen[label] ??= {})[suite] ??= []).push(value);
    };
    for (const op of ops) {
      // Warm: JIT, SM2 precomputation, key caches.
      for (let i = 0; i < 50; i += 1) await op.proof();
      await op.checkpoint();
      op.record();
    }
    for (let round = 0; round < rounds; round += 1) {
      const order = round % 2 === 0 ? ops : [...ops].reverse();
      for (const op of order) {
        const name = op.suite.name;
        note("proof: sign + verify", name, await cpuMicros(200, op.proof));
        note(
          "checkpoint: tree head over 1,000 records, signed + verified",
          name,
          await cpuMicros(5, op.checkpoint),
        );
        note("record hash (per record)", name, (await cpuMicros(20, op.record)) / 100);
        const hop = await hopCryptoMicros(db, 500, op.suite);
        note("subgraph fetch assertion: sign + verify", name, hop.sign + hop.verify);
      }
    }
    await db.close();
    const rows: Row[] = Object.entries(seen).map(([label, bySuite]) => ({
      label,
      micros: Object.fromEntries(Object.entries(bySuite).map(([suite, values]) => [suite, median(values)])),
    }));
    const fmt = (micros: number) => (micros >= 100 ? micros.toFixed(0) : micros.toFixed(1));
    const markdown = [
      "| operation | standard (Ed25519, SHA-256) µs | national (SM2, SM3) µs | national / standard |",
      "|---|---:|---:|---:|",
      ...rows.map(
        ({ label, micros }) =>
          `| ${label} | ${fmt(micros.standard)} | ${fmt(micros.national)} | ${(micros.national / micros.standard).toFixed(1)}x |`,
      ),
    ].join("\n");
    const none = { name: "none", requestsPerSecond: 1, p50Ms: 0, p99Ms: 0, errors: 0 };
    return {
      title: "Crypto suites: CPU per operation",
      results: [],
      baseline: none,
      markdown,
      summary: [
        `CPU time (user + system, one thread) per operation, median of ${rounds} rounds alternating which suite goes first;`,
        "a proof is signed as the certificates service signs it and verified from its JWK as /verify does; a hop",
        "assertion is the gateway's signer and a subgraph's verifier on one keyring.",
      ],
    };
  },
};
