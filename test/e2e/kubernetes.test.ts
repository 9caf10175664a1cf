import { execFileSync } from "node:child_process";
import { createPrivateKey } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { isIP } from "node:net";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { Deployment, StatefulSet, type IDeployment } from "kubernetes-models/apps/v1";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { NetworkPolicy, type INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { ConfigMap, Namespace, PersistentVolumeClaim, Secret, Service } from "kubernetes-models/v1";
import { openAuditTrail } from "@onecert/audit";
import { sampleEntry } from "@onecert/audit/testing";
import { loadCertificatesConfig } from "@onecert/certificates";
import { loadGatewayConfig } from "@onecert/gateway";
import { createLogger, openDb, ROOT } from "@onecert/subgraph-kit";
import { scratchDir, testAuditConfig } from "../support/audit";

/**
 * The Kubernetes manifests of deploy/kubernetes, checked without a cluster: every object against
 * the Kubernetes OpenAPI schemas (kubernetes-models, with no field the schema does not know), the
 * kustomization against the directory, the NetworkPolicies by evaluating who may reach whom, the
 * probes, the pods' security settings, every variable against the README's configuration tables,
 * the gateway's and the certificates service's settings through their own configuration readers,
 * and the audit spool's init container against the audit trail's replay.
 */

const DIR = join(ROOT, "deploy", "kubernetes");
const NAMESPACE = "onecert";
const IMAGE = "onecert";

/** Service name → its port, as in docker-compose.yml and the README. */
const PORTS: Record<string, number> = {
  gateway: 4000,
  population: 4001,
  "legal-entity": 4002,
  property: 4003,
  "social-insurance": 4004,
  certificates: 4005,
};
const REGISTRIES = ["population", "legal-entity", "property", "social-insurance"];
/** The services that only gateway pods may reach. */
const INTERNAL = [...REGISTRIES, "certificates"];

type Labels = Record<string, string>;
type PodTemplate = NonNullable<IDeployment["spec"]>["template"];
type PodSpec = NonNullable<PodTemplate["spec"]>;
type Container = PodSpec["containers"][number];
type NetworkPolicySpec = NonNullable<INetworkPolicy["spec"]>;
type LabelSelector = NetworkPolicySpec["podSelector"];
type Peer = NonNullable<NonNullable<NetworkPolicySpec["ingress"]>[number]["from"]>[number];
type PolicyPort = NonNullable<NonNullable<NetworkPolicySpec["ingress"]>[number]["ports"]>[number];

interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Labels; annotations?: Labels };
  [field: string]: unknown;
}

interface Manifest {
  file: string;
  object: KubeObject;
}

interface Validatable {
  validate(): void;
}

/** Every kind the manifests use, with the model that holds its schema. */
const MODELS: Record<string, new (data: never) => Validatable> = {
  "v1/Namespace": Namespace,
  "v1/ConfigMap": ConfigMap,
  "v1/Secret": Secret,
  "v1/Service": Service,
  "v1/PersistentVolumeClaim": PersistentVolumeClaim,
  "apps/v1/Deployment": Deployment,
  "apps/v1/StatefulSet": StatefulSet,
  "autoscaling/v2/HorizontalPodAutoscaler": HorizontalPodAutoscaler,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget,
  "networking.k8s.io/v1/NetworkPolicy": NetworkPolicy,
};

const yamlFiles = readdirSync(DIR)
  .filter((name) => name.endsWith(".yaml") || name.endsWith(".yml"))
  .sort();
const MANIFEST_FILES = yamlFiles.filter((name) => name !== "kustomization.yaml");

/**
 * The documents of one file, parsed as YAML 1.2 and as YAML 1.1, which must agree: Kubernetes'
 * YAML readers keep 1.1 readings such as octal 0440 and yes/no.
 */
function documentsOf(file: string): unknown[] {
  const text = readFileSync(join(DIR, file), "utf8");
  const read = (version: "1.1" | "1.2") =>
    parseAllDocuments(text, { version }).map((document) => {
      expect(document.errors, `${file}: YAML errors`).toEqual([]);
      return document.toJS() as unknown;
    });
  const documents = read("1.2");
  expect(read("1.1"), `${file} means something else to a YAML 1.1 reader (octal, yes/no, ...)`).toEqual(
    documents,
  );
  return documents.filter((document) => document !== null && document !== undefined);
}

const manifests: Manifest[] = MANIFEST_FILES.flatMap((file) =>
  documentsOf(file).map((object) => ({ file, object: object as KubeObject })),
);
const objects = manifests.map((manifest) => manifest.object);
const ofKind = <T>(kind: string): (KubeObject & T)[] =>
  objects.filter((object) => object.kind === kind) as (KubeObject & T)[];
const named = <T>(kind: string, name: string): KubeObject & T => {
  const found = ofKind<T>(kind).find((object) => object.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
};

interface Workload {
  name: string;
  kind: string;
  labels: Labels;
  pod: PodSpec;
  object: KubeObject & { spec: { replicas?: number; selector: LabelSelector; template: PodTemplate } };
}

const workloads: Workload[] = objects
  .filter((object) => object.kind === "Deployment" || object.kind === "StatefulSet")
  .map((object) => {
    const typed = object as Workload["object"];
    return {
      name: object.metadata.name,
      kind: object.kind,
      labels: typed.spec.template.metadata?.labels ?? {},
      pod: typed.spec.template.spec!,
      object: typed,
    };
  });
const workload = (name: string): Workload => {
  const found = workloads.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no workload ${name}`);
  return found;
};
const mainContainer = (name: string): Container => {
  const container = workload(name).pod.containers.find((candidate) => candidate.name === name);
  if (!container) throw new Error(`no container ${name} in ${name}`);
  return container;
};
const allContainers = (pod: PodSpec): Container[] => [...(pod.initContainers ?? []), ...pod.containers];

/** Whether a label selector selects a set of labels (matchLabels and matchExpressions). */
function selects(selector: LabelSelector | undefined, labels: Labels): boolean {
  if (!selector) return false;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {}))
    if (labels[key] !== value) return false;
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const present = key in labels;
    const ok =
      operator === "In"
        ? present && values.includes(labels[key])
        : operator === "NotIn"
          ? !present || !values.includes(labels[key])
          : operator === "Exists"
            ? present
            : operator === "DoesNotExist"
              ? !present
              : false;
    if (!ok) return false;
  }
  return true;
}

const isEmptySelector = (selector: LabelSelector | undefined): boolean =>
  !!selector &&
  Object.keys(selector.matchLabels ?? {}).length === 0 &&
  (selector.matchExpressions ?? []).length === 0;

/** A network endpoint as the policies see it: a pod (its namespace and labels) or an address outside. */
type Endpoint = { pod: Labels; namespace: string; namespaceLabels: Labels } | { ip: string };

const podOf = (name: string): Endpoint => ({
  pod: workload(name).labels,
  namespace: NAMESPACE,
  namespaceLabels: { "kubernetes.io/metadata.name": NAMESPACE },
});
const INGRESS_CONTROLLER: Endpoint = {
  pod: { "app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/component": "controller" },
  namespace: "ingress-nginx",
  namespaceLabels: { "kubernetes.io/metadata.name": "ingress-nginx" },
};
const STRAY_POD: Endpoint = {
  pod: { app: "debug" },
  namespace: NAMESPACE,
  namespaceLabels: { "kubernetes.io/metadata.name": NAMESPACE },
};
const OTHER_NAMESPACE_GATEWAY: Endpoint = {
  // A pod elsewhere wearing the gateway's labels must not pass for one.
  pod: workloads.find((candidate) => candidate.name === "gateway")?.labels ?? {},
  namespace: "elsewhere",
  namespaceLabels: { "kubernetes.io/metadata.name": "elsewhere" },
};
const KUBE_DNS: Endpoint = {
  pod: { "k8s-app": "kube-dns" },
  namespace: "kube-system",
  namespaceLabels: { "kubernetes.io/metadata.name": "kube-system" },
};
const OUTSIDE: Endpoint = { ip: "203.0.113.7" };

function ipv4InCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split("/");
  if (isIP(ip) !== 4 || isIP(base ?? "") !== 4) return false;
  const toInt = (address: string) =>
    address.split(".").reduce((sum, octet) => (sum << 8) + Number(octet), 0) >>> 0;
  const prefix = Number(bits);
  const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
  return (toInt(ip) & mask) === (toInt(base) & mask);
}

function peerMatches(peer: Peer, endpoint: Endpoint): boolean {
  if (peer.ipBlock) {
    if (!("ip" in endpoint)) return false;
    return (
      ipv4InCidr(endpoint.ip, peer.ipBlock.cidr) &&
      !(peer.ipBlock.except ?? []).some((cidr) => ipv4InCidr(endpoint.ip, cidr))
    );
  }
  if ("ip" in endpoint) return false;
  const namespaceOk = peer.namespaceSelector
    ? selects(peer.namespaceSelector, endpoint.namespaceLabels)
    : endpoint.namespace === NAMESPACE;
  const podOk = peer.podSelector ? selects(peer.podSelector, endpoint.pod) : true;
  return namespaceOk && podOk;
}

const portMatches = (ports: PolicyPort[] | undefined, port: number, protocol: string): boolean =>
  !ports ||
  ports.length === 0 ||
  ports.some(
    (candidate) =>
      (candidate.protocol ?? "TCP") === protocol &&
      (candidate.port === undefined ||
        (typeof candidate.port === "number" &&
          port >= candidate.port &&
          port <= (candidate.endPort ?? candidate.port))),
  );

const networkPolicies = ofKind<{ spec: NetworkPolicySpec }>("NetworkPolicy");
const policyTypes = (spec: NetworkPolicySpec): string[] =>
  spec.policyTypes ?? (spec.egress ? ["Ingress", "Egress"] : ["Ingress"]);
const policiesFor = (labels: Labels, direction: "Ingress" | "Egress") =>
  networkPolicies.filter(
    (policy) => selects(policy.spec.podSelector, labels) && policyTypes(policy.spec).includes(direction),
  );

/** Whether the policies let `source` open a connection to a pod of workload `target` on `port`. */
function ingressAllowed(target: string, source: Endpoint, port: number, protocol = "TCP"): boolean {
  return policiesFor(workload(target).labels, "Ingress").some((policy) =>
    (policy.spec.ingress ?? []).some(
      (rule) =>
        portMatches(rule.ports, port, protocol) &&
        (!rule.from || rule.from.length === 0 || rule.from.some((peer) => peerMatches(peer, source))),
    ),
  );
}

/** Whether the policies let a pod of workload `source` open a connection to `target` on `port`. */
function egressAllowed(source: string, target: Endpoint, port: number, protocol = "TCP"): boolean {
  return policiesFor(workload(source).labels, "Egress").some((policy) =>
    (policy.spec.egress ?? []).some(
      (rule) =>
        portMatches(rule.ports, port, protocol) &&
        (!rule.to || rule.to.length === 0 || rule.to.some((peer) => peerMatches(peer, target))),
    ),
  );
}

/** Names of the README's configuration variables (`## Configuration` tables headed "variable"), as patterns. */
function readmeVariables(): RegExp[] {
  const text = readFileSync(join(ROOT, "README.md"), "utf8");
  const start = text.indexOf("\n## Configuration\n");
  expect(start, "README.md has a ## Configuration section").toBeGreaterThan(-1);
  const end = text.indexOf("\n## ", start + 1);
  const lines = text.slice(start, end === -1 ? undefined : end).split("\n");
  const names: string[] = [];
  let inTable = false;
  for (const line of lines) {
    if (/^\|\s*variable\s*\|/.test(line)) inTable = true;
    else if (!line.startsWith("|")) inTable = false;
    else if (inTable) {
      const match = /^\|\s*`([^`]+)`/.exec(line);
      if (match?.[1]) names.push(match[1]);
    }
  }
  return names.map(
    (name) =>
      new RegExp(
        `^${name
          .split(/<[A-Z]+>/)
          .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
          .join("[A-Z0-9_]+")}$`,
      ),
  );
}

const configMaps = ofKind<{ data?: Labels }>("ConfigMap");
const secrets = ofKind<{ stringData?: Labels; data?: Labels }>("Secret");

/** The environment a container gets: its ConfigMaps and Secrets (the templates' values), then `env`. */
function environmentOf(container: Container, podName: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef)
      Object.assign(env, named<{ data?: Labels }>("ConfigMap", source.configMapRef.name!).data);
    if (source.secretRef)
      Object.assign(env, named<{ stringData?: Labels }>("Secret", source.secretRef.name!).stringData);
  }
  for (const variable of container.env ?? []) {
    const from = variable.valueFrom;
    if (variable.value !== undefined) env[variable.name] = variable.value;
    else if (from?.configMapKeyRef) {
      const value = named<{ data?: Labels }>("ConfigMap", from.configMapKeyRef.name!).data?.[
        from.configMapKeyRef.key
      ];
      if (value !== undefined) env[variable.name] = value;
    } else if (from?.secretKeyRef) {
      const value = named<{ stringData?: Labels }>("Secret", from.secretKeyRef.name!).stringData?.[
        from.secretKeyRef.key
      ];
      if (value !== undefined) env[variable.name] = value;
    } else if (from?.fieldRef?.fieldPath === "metadata.name") env[variable.name] = podName;
  }
  return env;
}

/** A deep copy of `value` that records which fields the schema's validator reads. */
function tracked(value: unknown, path: string, read: Set<string>, present: Set<string>): unknown {
  if (Array.isArray(value))
    return value.map((item, index) => tracked(item, `${path}[${index}]`, read, present));
  if (value === null || typeof value !== "object") return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    present.add(`${path}.${key}`);
    copy[key] = tracked(item, `${path}.${key}`, read, present);
  }
  const note = (key: string | symbol) => typeof key === "string" && read.add(`${path}.${key}`);
  return new Proxy(copy, {
    get: (target, key, receiver) => (note(key), Reflect.get(target, key, receiver) as unknown),
    has: (target, key) => (note(key), Reflect.has(target, key)),
    // The validator enumerates a map's keys (labels, data, resources): each of them is known.
    ownKeys: (target) => (Object.keys(target).forEach(note), Reflect.ownKeys(target)),
  });
}

/**
 * Fields of `object` its schema does not define (a typo, or a field of another kind), which
 * `kubectl apply --validate=strict` refuses; the generated validators accept unknown fields.
 */
function unknownFields(model: Validatable, object: unknown): string[] {
  const read = new Set<string>();
  const present = new Set<string>();
  model.validate.call(tracked(object, "", read, present));
  return [...present].filter((path) => !read.has(path));
}

describe("Kubernetes manifests (deploy/kubernetes)", () => {
  it("are valid objects of the Kubernetes API, with no field the schema does not know", () => {
    expect(manifests.length).toBeGreaterThan(20);
    for (const { file, object } of manifests) {
      const where = `${file}: ${object.kind} ${object.metadata?.name}`;
      const Model = MODELS[`${object.apiVersion}/${object.kind}`];
      expect(Model, `${where}: a kind the test knows the schema of`).toBeDefined();
      const model = new Model(object as never);
      expect(() => model.validate(), where).not.toThrow();
      expect(unknownFields(model, object), `${where}: fields unknown to the schema`).toEqual([]);
      for (const claim of (object.spec as { volumeClaimTemplates?: unknown[] } | undefined)
        ?.volumeClaimTemplates ?? []) {
        expect(() => new PersistentVolumeClaim(claim as never).validate(), `${where}: claim`).not.toThrow();
      }
    }
  });

  it("sit in the onecert namespace with the common labels", () => {
    expect(named("Namespace", NAMESPACE).metadata.labels).toMatchObject({
      "pod-security.kubernetes.io/enforce": "restricted",
    });
    for (const { file, object } of manifests) {
      const where = `${file}: ${object.kind} ${object.metadata.name}`;
      if (object.kind !== "Namespace") expect(object.metadata.namespace, where).toBe(NAMESPACE);
      expect(object.metadata.labels, where).toMatchObject({ "app.kubernetes.io/part-of": "onecert" });
      expect(Object.keys(object.metadata.labels ?? {}), where).toEqual(
        expect.arrayContaining(["app.kubernetes.io/name", "app.kubernetes.io/component"]),
      );
    }
    for (const { name, labels, object } of workloads) {
      expect(labels, name).toMatchObject({
        "app.kubernetes.io/name": name,
        "app.kubernetes.io/part-of": "onecert",
        "app.kubernetes.io/component": expect.any(String),
      });
      expect(selects(object.spec.selector, labels), `${name}: its selector selects its pods`).toBe(true);
    }
  });

  it("are all listed in the kustomization", () => {
    const [kustomization] = documentsOf("kustomization.yaml") as {
      apiVersion: string;
      kind: string;
      namespace?: string;
      resources: string[];
      images?: { name: string }[];
    }[];
    expect(kustomization).toMatchObject({
      apiVersion: "kustomize.config.k8s.io/v1beta1",
      kind: "Kustomization",
      namespace: NAMESPACE,
    });
    expect([...kustomization.resources].sort()).toEqual(MANIFEST_FILES);
    expect(new Set(kustomization.resources).size).toBe(kustomization.resources.length);
    expect(kustomization.images?.map((image) => image.name)).toEqual([IMAGE]);
    // Nothing else under deploy/kubernetes that kustomize would not see.
    expect(readdirSync(DIR).filter((name) => !yamlFiles.includes(name))).toEqual(["README.md"]);
  });

  it("run a Deployment (the gateway: a StatefulSet) and a Service for every service, all from one image", () => {
    expect(workloads.map((candidate) => candidate.name).sort()).toEqual(Object.keys(PORTS).sort());
    for (const name of INTERNAL) expect(workload(name).kind, name).toBe("Deployment");
    expect(workload("gateway").kind).toBe("StatefulSet");
    for (const [name, port] of Object.entries(PORTS)) {
      const { pod, labels, object } = workload(name);
      expect(object.spec.replicas, `${name}: replicas`).toBeGreaterThanOrEqual(2);
      for (const container of allContainers(pod))
        expect(container.image, `${name}/${container.name}`).toBe(IMAGE);
      const container = mainContainer(name);
      expect(container.args).toEqual(["serve", name]);
      expect(container.ports).toEqual([{ name: "http", containerPort: port, protocol: "TCP" }]);
      expect(environmentOf(container, `${name}-0`).PORT, `${name}: PORT`).toBe(String(port));
      expect(container.resources?.requests, `${name}: requests`).toMatchObject({
        cpu: expect.any(String),
        memory: expect.any(String),
      });
      expect(container.resources?.limits?.memory, `${name}: memory limit`).toBeDefined();
      // Its Service selects its pods and no other's, on its port.
      const services = ofKind<{
        spec: { selector?: Labels; clusterIP?: string; ports: { port: number; targetPort?: unknown }[] };
      }>("Service").filter((service) => service.metadata.name === name);
      expect(services, `${name}: a Service of that name`).toHaveLength(1);
      const service = services[0];
      for (const other of workloads)
        expect(
          selects({ matchLabels: service.spec.selector }, other.labels),
          `${name} Service selects ${other.name}`,
        ).toBe(other.name === name);
      expect(selects({ matchLabels: service.spec.selector }, labels)).toBe(true);
      expect(service.spec.ports).toEqual([{ name: "http", port, targetPort: "http", protocol: "TCP" }]);
    }
    for (const name of ["postgresql", "redis"]) {
      expect(named<{ spec: { type: string } }>("Service", name).spec.type, `${name}: external`).toBe(
        "ExternalName",
      );
    }
  });

  it("probe /health for liveness and /ready for the gateway's readiness, on the service's port", () => {
    const probeOf = (container: Container, probe: "livenessProbe" | "readinessProbe" | "startupProbe") => {
      const http = container[probe]?.httpGet;
      expect(http, `${container.name}: ${probe}`).toBeDefined();
      const port =
        typeof http!.port === "number"
          ? http!.port
          : container.ports?.find((candidate) => candidate.name === http!.port)?.containerPort;
      return { path: http!.path, port };
    };
    for (const [name, port] of Object.entries(PORTS)) {
      const container = mainContainer(name);
      expect(probeOf(container, "livenessProbe"), `${name} liveness`).toEqual({ path: "/health", port });
      expect(probeOf(container, "startupProbe"), `${name} startup`).toEqual({ path: "/health", port });
      expect(probeOf(container, "readinessProbe"), `${name} readiness`).toEqual({
        path: name === "gateway" ? "/ready" : "/health",
        port,
      });
      // The first start (migrations) is the startup probe's; liveness never restarts a starting pod.
      const startup = container.startupProbe!;
      expect(
        (startup.periodSeconds ?? 10) * (startup.failureThreshold ?? 3),
        `${name}: startup budget`,
      ).toBeGreaterThanOrEqual(120);
    }
  });

  it("run every container as non-root on a read-only root filesystem, with an emptyDir for /tmp", () => {
    for (const { name, pod } of workloads) {
      expect(pod.automountServiceAccountToken, `${name}: no API token`).toBe(false);
      expect(pod.securityContext?.seccompProfile?.type, `${name}: seccomp`).toBe("RuntimeDefault");
      for (const container of allContainers(pod)) {
        const where = `${name}/${container.name}`;
        const context = container.securityContext ?? {};
        expect(context.runAsNonRoot ?? pod.securityContext?.runAsNonRoot, `${where}: runAsNonRoot`).toBe(
          true,
        );
        // The image's user is `node`; a numeric id lets the kubelet check runAsNonRoot.
        expect(context.runAsUser ?? pod.securityContext?.runAsUser, `${where}: runAsUser`).toBeGreaterThan(0);
        expect(context.runAsGroup ?? pod.securityContext?.runAsGroup, `${where}: runAsGroup`).toBeGreaterThan(
          0,
        );
        expect(context.allowPrivilegeEscalation, `${where}: no privilege escalation`).toBe(false);
        expect(context.readOnlyRootFilesystem, `${where}: read-only root`).toBe(true);
        expect(context.privileged ?? false, `${where}: not privileged`).toBe(false);
        expect(context.capabilities?.drop, `${where}: capabilities`).toEqual(["ALL"]);
        expect(context.capabilities?.add ?? [], `${where}: no capability added`).toEqual([]);
        const tmp = container.volumeMounts?.find((mount) => mount.mountPath === "/tmp");
        expect(tmp, `${where}: /tmp mounted`).toBeDefined();
        expect(
          pod.volumes?.find((volume) => volume.name === tmp!.name)?.emptyDir,
          `${where}: /tmp is an emptyDir`,
        ).toBeDefined();
      }
    }
  });

  it("use only variables of the README's configuration tables, and only ConfigMaps and Secrets that exist", () => {
    const documented = readmeVariables();
    expect(documented.length, "variables found in README.md").toBeGreaterThan(40);
    const isDocumented = (name: string) => documented.some((pattern) => pattern.test(name));
    expect(isDocumented("DATABASE_URL") && isDocumented("SUBGRAPH_URL_LEGAL_ENTITY")).toBe(true);
    const used = new Set<string>();
    for (const configMap of configMaps) for (const key of Object.keys(configMap.data ?? {})) used.add(key);
    for (const { name, pod } of workloads) {
      for (const container of allContainers(pod)) {
        const where = `${name}/${container.name}`;
        for (const source of container.envFrom ?? []) {
          if (source.configMapRef)
            expect(() => named("ConfigMap", source.configMapRef!.name!), where).not.toThrow();
          if (source.secretRef) {
            const secret = named<{ stringData?: Labels }>("Secret", source.secretRef.name!);
            for (const key of Object.keys(secret.stringData ?? {})) used.add(key);
          }
        }
        for (const variable of container.env ?? []) {
          used.add(variable.name);
          const configKey = variable.valueFrom?.configMapKeyRef;
          if (configKey) {
            expect(
              named<{ data?: Labels }>("ConfigMap", configKey.name!).data?.[configKey.key],
              `${where}: ${variable.name}`,
            ).toBeDefined();
          }
          const secretKey = variable.valueFrom?.secretKeyRef;
          if (secretKey && !secretKey.optional) {
            expect(
              named<{ stringData?: Labels }>("Secret", secretKey.name!).stringData?.[secretKey.key],
              `${where}: ${variable.name}`,
            ).toBeDefined();
          }
        }
      }
      for (const volume of pod.volumes ?? []) {
        if (!volume.secret) continue;
        const secret = named<{ stringData?: Labels }>("Secret", volume.secret.secretName!);
        for (const item of volume.secret.items ?? [])
          expect(
            secret.stringData?.[item.key],
            `${name}: volume ${volume.name} key ${item.key}`,
          ).toBeDefined();
      }
    }
    const undocumented = [...used].filter((name) => !isDocumented(name));
    expect(undocumented, "variables missing from the README's configuration tables").toEqual([]);
  });

  it("keep placeholders in the Secret templates, never keys", () => {
    expect(secrets.map((secret) => secret.metadata.name).sort()).toEqual([
      "onecert-audit-signing-key",
      "onecert-certificates",
      "onecert-database",
      "onecert-proof-key",
      "onecert-redis",
    ]);
    for (const { file, object } of manifests.filter((manifest) => manifest.object.kind === "Secret")) {
      const secret = object as KubeObject & { stringData?: Labels; data?: Labels };
      expect(secret.data, `${secret.metadata.name}: no base64 data`).toBeUndefined();
      expect(readFileSync(join(DIR, file), "utf8")).toMatch(/secret manager/);
      for (const [key, value] of Object.entries(secret.stringData ?? {})) {
        expect(value, `${secret.metadata.name}/${key}`).toContain("REPLACE-ME");
        expect(() => createPrivateKey(value), `${secret.metadata.name}/${key} is not a key`).toThrow();
      }
    }
  });

  describe("NetworkPolicies", () => {
    const sources: [string, Endpoint][] = [
      ...workloads.map((candidate): [string, Endpoint] => [candidate.name, podOf(candidate.name)]),
      ["a pod of the ingress controller", INGRESS_CONTROLLER],
      ["another pod of the namespace", STRAY_POD],
      ["a pod with the gateway's labels in another namespace", OTHER_NAMESPACE_GATEWAY],
      ["an address outside the cluster", OUTSIDE],
    ];

    it("deny all ingress and egress by default", () => {
      const defaults = networkPolicies.filter((policy) => isEmptySelector(policy.spec.podSelector));
      expect(defaults).toHaveLength(1);
      const [deny] = defaults;
      expect(policyTypes(deny.spec).sort()).toEqual(["Egress", "Ingress"]);
      expect(deny.spec.ingress ?? []).toEqual([]);
      expect(deny.spec.egress ?? []).toEqual([]);
      // Every other policy opens something for some pods, never for all of them.
      for (const policy of networkPolicies.filter((candidate) => candidate !== deny))
        expect(isEmptySelector(policy.spec.podSelector), policy.metadata.name).toBe(false);
    });

    it.each(INTERNAL)("admit only gateway pods to %s, on its port", (name) => {
      const port = PORTS[name];
      const policies = policiesFor(workload(name).labels, "Ingress");
      const rules = policies.flatMap((policy) => policy.spec.ingress ?? []);
      expect(rules.length, `${name}: ingress rules`).toBeGreaterThan(0);
      for (const rule of rules) {
        // No rule without `from` (that admits every source) and no peer but gateway pods.
        expect(rule.from?.length, `${name}: a rule with an empty from`).toBeGreaterThan(0);
        for (const peer of rule.from!) {
          expect(peer.ipBlock, `${name}: an ipBlock peer`).toBeUndefined();
          expect(peer.namespaceSelector, `${name}: a namespaceSelector peer`).toBeUndefined();
          expect(peer.podSelector, `${name}: a peer without podSelector`).toBeDefined();
          expect(peer.podSelector!.matchLabels, `${name}: the peer names the gateway`).toMatchObject({
            "app.kubernetes.io/component": "gateway",
            "app.kubernetes.io/part-of": "onecert",
          });
          const selected = workloads.filter((candidate) => selects(peer.podSelector, candidate.labels));
          expect(
            selected.map((candidate) => candidate.name),
            `${name}: pods the peer selects`,
          ).toEqual(["gateway"]);
        }
        expect(rule.ports, `${name}: ports`).toEqual([{ port, protocol: "TCP" }]);
      }
      for (const [label, source] of sources) {
        expect(ingressAllowed(name, source, port), `${label} → ${name}:${port}`).toBe(label === "gateway");
      }
      // And on no other port, from anyone.
      expect(ingressAllowed(name, podOf("gateway"), port + 100)).toBe(false);
    });

    it("admit anyone to the gateway on 4000, the certificates service's call back included, and nothing else", () => {
      const rules = policiesFor(workload("gateway").labels, "Ingress").flatMap(
        (policy) => policy.spec.ingress ?? [],
      );
      expect(
        rules.some(
          (rule) =>
            (!rule.from || rule.from.length === 0) &&
            JSON.stringify(rule.ports) === JSON.stringify([{ port: 4000, protocol: "TCP" }]),
        ),
        "a rule open to every source on 4000",
      ).toBe(true);
      for (const [label, source] of sources) {
        expect(ingressAllowed("gateway", source, 4000), `${label} → gateway:4000`).toBe(true);
        expect(ingressAllowed("gateway", source, 4001), `${label} → gateway:4001`).toBe(false);
      }
      expect(
        egressAllowed("certificates", podOf("gateway"), 4000),
        "certificates → gateway:4000 (egress)",
      ).toBe(true);
    });

    it("let each pod out only to DNS, PostgreSQL, Redis and the services it calls", () => {
      const postgresql = networkPolicies.find((policy) => policy.metadata.name === "allow-postgresql-egress");
      const redis = networkPolicies.find((policy) => policy.metadata.name === "allow-redis-egress");
      const ipOf = (policy: typeof postgresql) => policy!.spec.egress![0].to![0].ipBlock!.cidr.split("/")[0];
      for (const policy of networkPolicies)
        for (const peer of [
          ...(policy.spec.egress ?? []).flatMap((rule) => rule.to ?? []),
          ...(policy.spec.ingress ?? []).flatMap((rule) => rule.from ?? []),
        ])
          if (peer.ipBlock) {
            const [address, bits] = peer.ipBlock.cidr.split("/");
            expect(isIP(address ?? ""), `${policy.metadata.name}: ${peer.ipBlock.cidr}`).toBeGreaterThan(0);
            expect(Number(bits), `${policy.metadata.name}: ${peer.ipBlock.cidr}`).toBeGreaterThanOrEqual(0);
          }
      const calls: Record<string, string[]> = {
        gateway: [...REGISTRIES, "certificates"],
        certificates: ["gateway"],
        ...Object.fromEntries(REGISTRIES.map((name) => [name, []])),
      };
      const usesRedis = ["gateway", ...REGISTRIES];
      for (const { name } of workloads) {
        expect(egressAllowed(name, KUBE_DNS, 53, "UDP"), `${name} → DNS/UDP`).toBe(true);
        expect(egressAllowed(name, KUBE_DNS, 53, "TCP"), `${name} → DNS/TCP`).toBe(true);
        expect(egressAllowed(name, { ip: ipOf(postgresql) }, 5432), `${name} → PostgreSQL`).toBe(true);
        expect(egressAllowed(name, { ip: ipOf(redis) }, 6379), `${name} → Redis`).toBe(
          usesRedis.includes(name),
        );
        expect(egressAllowed(name, OUTSIDE, 443), `${name} → an address outside`).toBe(false);
        for (const other of workloads) {
          expect(egressAllowed(name, podOf(other.name), PORTS[other.name]), `${name} → ${other.name}`).toBe(
            calls[name].includes(other.name),
          );
        }
      }
    });
  });

  describe("the gateway", () => {
    const gateway = workload("gateway");
    const container = mainContainer("gateway");
    const env = environmentOf(container, "gateway-0");

    it("scales between 2 and 10 replicas on CPU and keeps at least one up in a disruption", () => {
      const [hpa] = ofKind<{ spec: Record<string, unknown> }>("HorizontalPodAutoscaler");
      expect(ofKind("HorizontalPodAutoscaler")).toHaveLength(1);
      expect(hpa.apiVersion).toBe("autoscaling/v2");
      expect(hpa.spec).toMatchObject({
        scaleTargetRef: { apiVersion: "apps/v1", kind: gateway.kind, name: "gateway" },
        minReplicas: 2,
        maxReplicas: 10,
        metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization" } } }],
      });
      expect(gateway.object.spec.replicas).toBe(2);
      const budgets = ofKind<{
        spec: { selector: LabelSelector; maxUnavailable?: number; minAvailable?: number };
      }>("PodDisruptionBudget").filter((budget) => selects(budget.spec.selector, gateway.labels));
      expect(budgets).toHaveLength(1);
      expect(budgets[0].spec.maxUnavailable).toBe(1);
    });

    it("is configured as its own configuration reader accepts, with the subgraph URLs of the Services", () => {
      const config = loadGatewayConfig(env);
      expect(config.port).toBe(4000);
      expect(config.host).toBe("0.0.0.0");
      expect(config.supergraph.kind).toBe("registry");
      expect(config.trustedSubgraphs).toEqual(["certificates"]);
      expect(Object.keys(config.subgraphUrls).sort()).toEqual(INTERNAL.slice().sort());
      for (const [name, url] of Object.entries(config.subgraphUrls)) {
        const { hostname, port, pathname } = new URL(url);
        expect({ hostname, port: Number(port), pathname }, name).toEqual({
          hostname: name,
          port: PORTS[name],
          pathname: "/graphql",
        });
      }
      expect(config.audit).toMatchObject({
        failureMode: "spool",
        generateSigningKey: false,
        replica: "gateway-0",
      });
      expect(config.database.url).toMatch(/^postgres:\/\/.+@postgresql:5432\//);
      expect(config.redisUrl).toMatch(/@redis:6379$/);
      expect(config.proofKeySecret).toBeDefined();
    });

    it("keeps its audit spool and archive on a volume of its own per replica, and its signing key in a Secret", () => {
      const config = loadGatewayConfig(env);
      const claims = (gateway.object.spec as { volumeClaimTemplates?: { metadata: { name: string } }[] })
        .volumeClaimTemplates;
      const mountOf = (path: string) =>
        (container.volumeMounts ?? [])
          .filter((mount) => path === mount.mountPath || path.startsWith(`${mount.mountPath}/`))
          .sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
      for (const path of [config.audit.spoolDir, config.audit.archiveDir]) {
        const mount = mountOf(path);
        expect(mount, path).toBeDefined();
        expect(
          claims?.map((claim) => claim.metadata.name),
          `${path} is on a claim template`,
        ).toContain(mount.name);
        expect(mount.readOnly ?? false).toBe(false);
      }
      const keyMount = mountOf(config.audit.signingKeyFile);
      expect(keyMount.readOnly).toBe(true);
      const keyVolume = gateway.pod.volumes?.find((volume) => volume.name === keyMount.name);
      expect(keyVolume?.secret?.secretName).toBe("onecert-audit-signing-key");
      expect(keyVolume?.secret?.items).toEqual([
        { key: "signing-key.pem", path: config.audit.signingKeyFile.slice(keyMount.mountPath.length + 1) },
      ]);
      expect(keyVolume?.secret?.defaultMode).toBe(0o440);
      // The init container prepares the same spool directory, on the same volume.
      const [init] = gateway.pod.initContainers ?? [];
      expect(environmentOf(init, "gateway-0").AUDIT_SPOOL_DIR).toBe(config.audit.spoolDir);
      expect(
        init.volumeMounts?.find((mount) => mount.name === mountOf(config.audit.spoolDir).name),
      ).toBeDefined();
    });

    describe("the audit spool init container", () => {
      const scratch = scratchDir("onecert-k8s-spool-");
      afterAll(() => scratch.cleanup());

      it("hands the spool a crashed replica left to the next process, which replays it", async () => {
        const [init] = gateway.pod.initContainers ?? [];
        expect(init?.name).toBe("audit-spool-adopt");
        const [program, ...args] = init.command!;
        expect(program).toBe("node");
        // The kubelet expands $(NAME) in a command; the script must hold none.
        expect(args.join("\n")).not.toContain("$(");
        const spoolDir = join(scratch.dir, "spool");
        const entry = sampleEntry(1, { requestId: "k8s-spooled-before-crash" });
        // Every container's process is PID 1: the predecessor's live file bears the new process's PID.
        mkdirSync(spoolDir);
        writeFileSync(join(spoolDir, `spool-${process.pid}.ndjson`), `${JSON.stringify(entry)}\n`);
        execFileSync(process.execPath, args, {
          env: { ...process.env, AUDIT_SPOOL_DIR: spoolDir },
          stdio: "pipe",
        });
        expect(readdirSync(spoolDir)).toEqual([
          expect.stringMatching(new RegExp(`^ready-\\d{15}-${process.pid}\\.ndjson$`)),
        ]);

        const db = openDb();
        try {
          const trail = await openAuditTrail({
            db,
            config: testAuditConfig(scratch.dir, { failureMode: "spool", spoolDir }),
            logger: createLogger("kubernetes-test", "silent"),
          });
          try {
            const rows = await db.query<{ request_id: string }>(
              "SELECT request_id FROM audit.records WHERE request_id = $1",
              [entry.requestId],
            );
            expect(rows).toEqual([{ request_id: entry.requestId }]);
          } finally {
            await trail.close();
          }
          expect(readdirSync(spoolDir), "nothing left in the spool").toEqual([]);
        } finally {
          await db.close();
        }
      });
    });
  });

  it("points the certificates service at the gateway's Service, with the proof key secret", () => {
    const env = environmentOf(mainContainer("certificates"), "certificates-0");
    const config = loadCertificatesConfig(env);
    expect(config.port).toBe(4005);
    expect(config.host).toBe("0.0.0.0");
    expect(new URL(config.gatewayUrl!).host).toBe("gateway:4000");
    expect(config.proofs.keySecret).toBe(
      environmentOf(mainContainer("gateway"), "gateway-0").PROOF_KEY_SECRET,
    );
    expect(env.DATABASE_URL).toBe(environmentOf(mainContainer("gateway"), "gateway-0").DATABASE_URL);
  });
});
