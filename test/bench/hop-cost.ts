import { createHopSigner } from "@onecert/gateway";
import {
  createHopVerifier,
  createKeyring,
  KEY_PURPOSES,
  keyringKeySource,
  memoryReplayGuard,
  type CryptoSuite,
  type Db,
} from "@onecert/subgraph-kit";

/** A subgraph fetch of the size the README query sends: an _entities call for a few persons. */
const BODY = JSON.stringify({
  query:
    "query Citizen__property__1($representations:[_Any!]!){_entities(representations:$representations){...on Person{realEstate{unitNumber certificateNumber address use area registeredOn mortgaged seized}}}}",
  variables: {
    representations: ["110105194912310021", "11010519491231002X", "110105194912310048"].map((idNumber) => ({
      __typename: "Person",
      idNumber,
    })),
  },
});

/**
 * CPU of the hop's cryptography alone for one subgraph fetch, in microseconds: the gateway
 * signing an assertion over the body and the subgraph verifying it (signature, claims, body
 * digest, replay memory), with the gateway's real keyring on `db`, in `suite` (default the
 * keyring's, standard). No I/O is measured.
 */
export async function hopCryptoMicros(
  db: Db,
  rounds = 3000,
  suite?: CryptoSuite,
): Promise<{ sign: number; verify: number }> {
  const keyring = createKeyring(db, { purpose: KEY_PURPOSES.hop, suite });
  const signer = createHopSigner({ keyring, issuer: "onecert-gateway", ttlSeconds: 30 });
  const verifier = createHopVerifier({
    audience: "property",
    keys: keyringKeySource(keyring),
    replay: memoryReplayGuard(),
  });
  const caller = {
    requestId: "bench",
    client: { id: "c", name: "bench-window", role: "window", department: "government-service-center" },
    operatorId: "clerk-1",
    matterCode: "m",
    caseNumber: null,
  };
  // Warm: keys read and cached, code optimised.
  for (let i = 0; i < 300; i += 1)
    await verifier.verify((await signer.assert("property", BODY, caller)).token, BODY);
  const tokens: string[] = [];
  let start = process.cpuUsage();
  for (let i = 0; i < rounds; i += 1) tokens.push((await signer.assert("property", BODY, caller)).token);
  let used = process.cpuUsage(start);
  const sign = (used.user + used.system) / rounds;
  start = process.cpuUsage();
  for (const token of tokens) await verifier.verify(token, BODY);
  used = process.cpuUsage(start);
  return { sign, verify: (used.user + used.system) / rounds };
}
