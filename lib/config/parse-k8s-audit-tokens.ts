import { z } from "zod";
import { CLUSTER_NAME_PATTERN } from "@/lib/validations/k8s-cluster-name";

// SEALDECK_K8S_AUDIT_TOKENS: one audit-webhook bearer token per cluster, so that a cluster's API server
// (or whoever reads its webhook kubeconfig) can only send events under its own cluster name. Accepted as
// a JSON object {"prod": "<token>", ...} or as `prod=<token>,staging=<token>` pairs (commas, spaces or
// newlines between pairs; the token is everything after the first `=`). No message quotes a value.

const MIN_TOKEN_LENGTH = 32;

/** The variable's value, as a map from cluster name to token (an own-property-only plain object). */
export const k8sAuditTokensSchema = z.string().transform((value, ctx): Record<string, string> => {
  const fail = (message: string) => {
    ctx.addIssue({ code: "custom", message });
    return z.NEVER;
  };
  const text = value.trim();
  let entries: [string, unknown][];
  if (text.startsWith("{")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return fail('is not valid JSON; use {"cluster": "token", ...} or cluster=token,... pairs');
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
      return fail('must be a JSON object {"cluster": "token", ...}');
    entries = Object.entries(parsed);
  } else {
    entries = [];
    for (const pair of text.split(/[\s,]+/).filter(Boolean)) {
      const at = pair.indexOf("=");
      if (at <= 0) return fail("must be cluster=token pairs separated by commas (or a JSON object)");
      entries.push([pair.slice(0, at), pair.slice(at + 1)]);
    }
  }
  if (entries.length === 0) return fail("names no cluster");
  const tokens: Record<string, string> = {};
  const seen = new Set<string>();
  // Entries are named by position, never by cluster name: a token pasted in the cluster's place must
  // not end up in a message.
  for (const [index, [cluster, token]] of entries.entries()) {
    const entry = `entry ${index + 1}`;
    if (!CLUSTER_NAME_PATTERN.test(cluster))
      return fail(
        `${entry}: the cluster name must be letters, digits and . _ : @ / - (up to 253 characters)`,
      );
    if (Object.hasOwn(tokens, cluster)) return fail(`${entry}: names a cluster twice`);
    if (typeof token !== "string" || token.length < MIN_TOKEN_LENGTH)
      return fail(`${entry}: the token is shorter than ${MIN_TOKEN_LENGTH} characters`);
    // One token per cluster: a token shared by two clusters would let either speak for the other.
    if (seen.has(token)) return fail(`${entry}: the token is another cluster's too`);
    seen.add(token);
    tokens[cluster] = token;
  }
  return tokens;
});
