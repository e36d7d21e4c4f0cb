import "server-only";
import type { Policy, PolicyRule } from "./policy";

export type UserInfo = { name: string; groups: string[] };

export type RequestAttributes = {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
};

function appliesTo(rule: PolicyRule, user: UserInfo): boolean {
  return (rule.users ?? []).includes(user.name) || (rule.groups ?? []).some((g) => user.groups.includes(g));
}

function matchesResource(rule: PolicyRule, resource: string, subresource: string | undefined): boolean {
  const full = subresource ? `${resource}/${subresource}` : resource;
  return rule.resources.some(
    (r) => r === "*" || r === full || (subresource !== undefined && r === `*/${subresource}`),
  );
}

/** Deny unless a rule grants the verb on the resource in that namespace (RBAC-like, no deny rules). */
export function authorize(policy: Policy, user: UserInfo, attributes: RequestAttributes): boolean {
  return policy.rules.some(
    (rule) =>
      appliesTo(rule, user) &&
      (rule.verbs.includes("*") || rule.verbs.includes(attributes.verb)) &&
      (rule.apiGroups === undefined ||
        rule.apiGroups.includes("*") ||
        rule.apiGroups.includes(attributes.group)) &&
      matchesResource(rule, attributes.resource, attributes.subresource) &&
      (rule.namespaces === undefined ||
        (attributes.namespace !== undefined && rule.namespaces.includes(attributes.namespace))) &&
      (rule.resourceNames === undefined ||
        (attributes.name !== undefined && rule.resourceNames.includes(attributes.name))),
  );
}

/** The rules that hold in a namespace, shaped as SelfSubjectRulesReview `resourceRules`. */
export function rulesFor(policy: Policy, user: UserInfo, namespace: string) {
  return policy.rules
    .filter(
      (rule) =>
        appliesTo(rule, user) && (rule.namespaces === undefined || rule.namespaces.includes(namespace)),
    )
    .map((rule) => ({
      verbs: rule.verbs,
      apiGroups: rule.apiGroups ?? ["*"],
      resources: rule.resources,
      ...(rule.resourceNames ? { resourceNames: rule.resourceNames } : {}),
    }));
}

export function authenticate(policy: Policy, authorization: string | undefined): UserInfo | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(authorization ?? "");
  if (!match) return undefined;
  const user = policy.users.find((u) => u.token === match[1]!.trim());
  return user ? { name: user.name, groups: [...user.groups, "system:authenticated"] } : undefined;
}
