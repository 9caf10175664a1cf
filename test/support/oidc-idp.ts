import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from "jose";
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** How the next login at the test identity provider goes wrong, if at all. */
export interface IdpTwist {
  /** Send the browser back with `?error=` instead of a code. */
  error?: string;
  /** The ID token's nonce instead of the one asked for. */
  nonce?: string;
  /** The ID token's audience instead of the client id. */
  audience?: string;
  /** Seconds from now the ID token expires at (negative: already expired). Default 300. */
  expiresIn?: number;
  /** Sign the ID token with a key the JWKS does not hold. */
  foreignKey?: boolean;
  /** Leave the username claim out. */
  noUsername?: boolean;
  /** Remember another PKCE challenge than the one asked with, as if the verifier were wrong. */
  otherChallenge?: boolean;
}

export interface TestIdp {
  issuer: string;
  /** Who logs in at the next authorization request, and how it goes wrong. */
  next: { username: string; twist: IdpTwist };
  /** While false every connection is dropped at once, as when the provider is down. */
  reachable: boolean;
  /** Why the token endpoint refused, one entry a refusal. */
  refusals: string[];
  close(): Promise<void>;
}

interface Grant {
  username: string;
  nonce: string;
  challenge: string;
  redirectUri: string;
  twist: IdpTwist;
  used: boolean;
}

const s256 = (verifier: string) => createHash("sha256").update(verifier).digest("base64url");

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", ...headers });
  res.end(JSON.stringify(body));
}

/** `id:secret` of HTTP Basic client authentication, each form-urlencoded first (RFC 6749, 2.3.1). */
function basicCredentials(header: string | undefined): string | null {
  if (!header?.startsWith("Basic ")) return null;
  const decoded = Buffer.from(header.slice(6), "base64").toString("utf8");
  const at = decoded.indexOf(":");
  const part = (text: string) => decodeURIComponent(text.replace(/\+/g, " "));
  return at < 0 ? null : `${part(decoded.slice(0, at))}:${part(decoded.slice(at + 1))}`;
}

async function formOf(req: IncomingMessage): Promise<URLSearchParams> {
  let text = "";
  for await (const chunk of req) text += String(chunk);
  return new URLSearchParams(text);
}

/**
 * An OpenID Connect provider small enough to read: discovery, JWKS (RS256), an authorization
 * endpoint that logs in `next.username` at once and redirects back with a code, and a token
 * endpoint that checks the client's secret (basic), the code (once) and the PKCE verifier.
 */
export async function startTestIdp(client: {
  id: string;
  secret: string;
  redirectUri: string;
}): Promise<TestIdp> {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const foreign = (await generateKeyPair("RS256")).privateKey;
  const jwk = { ...(await exportJWK(publicKey)), kid: "test-1", alg: "RS256", use: "sig" };
  const grants = new Map<string, Grant>();
  const idp: TestIdp = {
    issuer: "",
    next: { username: "", twist: {} },
    reachable: true,
    refusals: [],
    close: () => new Promise((done) => server.close(() => done())),
  };

  async function idToken(grant: Grant): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const { twist } = grant;
    const claims = twist.noUsername ? {} : { preferred_username: grant.username };
    const key: CryptoKey = twist.foreignKey ? foreign : privateKey;
    return new SignJWT({ ...claims, nonce: twist.nonce ?? grant.nonce })
      .setProtectedHeader({ alg: "RS256", kid: jwk.kid })
      .setIssuer(idp.issuer)
      .setAudience(twist.audience ?? client.id)
      .setSubject(`sub-${grant.username}`)
      .setIssuedAt(now - 10)
      .setExpirationTime(now + (twist.expiresIn ?? 300))
      .sign(key);
  }

  function authorize(url: URL, res: ServerResponse) {
    const q = url.searchParams;
    const redirectUri = q.get("redirect_uri") ?? "";
    if (q.get("client_id") !== client.id || redirectUri !== client.redirectUri)
      return send(res, 400, { error: "invalid_request", error_description: "unknown client or redirect" });
    const back = new URL(redirectUri);
    back.searchParams.set("state", q.get("state") ?? "");
    const { username, twist } = idp.next;
    const complete = q.get("response_type") === "code" && q.get("code_challenge_method") === "S256";
    if (twist.error || !complete || !(q.get("scope") ?? "").split(" ").includes("openid")) {
      back.searchParams.set("error", twist.error ?? "invalid_request");
    } else {
      const code = randomBytes(16).toString("hex");
      const challenge = twist.otherChallenge ? s256("another verifier") : (q.get("code_challenge") ?? "");
      grants.set(code, { username, nonce: q.get("nonce") ?? "", challenge, redirectUri, twist, used: false });
      back.searchParams.set("code", code);
    }
    res.writeHead(302, { location: back.href });
    res.end();
  }

  async function token(req: IncomingMessage, res: ServerResponse) {
    const refuse = (error: string, why: string, status = 400) => {
      idp.refusals.push(why);
      send(res, status, { error, error_description: why });
    };
    if (basicCredentials(req.headers.authorization) !== `${client.id}:${client.secret}`)
      return refuse("invalid_client", "client authentication failed", 401);
    const form = await formOf(req);
    const grant = grants.get(form.get("code") ?? "");
    if (form.get("grant_type") !== "authorization_code" || !grant)
      return refuse("invalid_grant", "unknown code");
    if (grant.used) return refuse("invalid_grant", "code used before");
    grant.used = true;
    if (form.get("redirect_uri") !== grant.redirectUri)
      return refuse("invalid_grant", "redirect_uri differs");
    if (s256(form.get("code_verifier") ?? "") !== grant.challenge)
      return refuse("invalid_grant", "PKCE verifier");
    send(res, 200, {
      access_token: randomBytes(16).toString("hex"),
      token_type: "Bearer",
      expires_in: 300,
      id_token: await idToken(grant),
    });
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", idp.issuer);
    const route = `${req.method} ${url.pathname}`;
    if (route === "GET /.well-known/openid-configuration")
      return send(res, 200, {
        issuer: idp.issuer,
        authorization_endpoint: `${idp.issuer}/authorize`,
        token_endpoint: `${idp.issuer}/token`,
        jwks_uri: `${idp.issuer}/jwks`,
        response_types_supported: ["code"],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["RS256"],
        token_endpoint_auth_methods_supported: ["client_secret_basic"],
        code_challenge_methods_supported: ["S256"],
      });
    if (route === "GET /jwks") return send(res, 200, { keys: [jwk] });
    if (route === "GET /authorize") return authorize(url, res);
    if (route === "POST /token")
      return void token(req, res).catch(() => send(res, 500, { error: "server_error" }));
    send(res, 404, { error: "not_found" });
  });
  server.on("connection", (socket) => {
    if (!idp.reachable) socket.destroy();
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  idp.issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return idp;
}
