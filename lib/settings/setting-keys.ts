import { z } from "zod";
import { groupMappingSchema, groupMappingSettingKey } from "@/lib/auth/map-groups-to-access";
import type { Permission } from "@/lib/auth/permissions";
import { gitopsRepositorySchema } from "@/lib/validations/gitops";
import { TEAM_MAPPING_SETTING_KEY, teamMappingSchema } from "@/lib/validations/rotation";

// Every admin setting: its key in the `settings` table, the zod schema its JSON value must meet, the
// value in effect when none is stored, and the permission needed to change it. Isomorphic: the forms
// validate with the same schemas the server actions do.

export const environments = ["production", "staging", "development"] as const;
export type Environment = (typeof environments)[number];

const k8sName = z
  .string()
  .trim()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a Kubernetes name (lowercase letters, digits, dashes)")
  .max(253);

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * A controller reached without the API server's service proxy, e.g. behind an ingress or through
 * `kubectl port-forward`. The certificate read from it decides whose key seals the values, so it must
 * come over TLS; plain http is allowed only to this machine (a port-forward). No credentials in the URL:
 * they would be stored in the settings table and shown in Settings.
 */
export const controllerUrlSchema = z
  .string()
  .trim()
  .max(2048, "is too long")
  .superRefine((value, context) => {
    const problem = controllerUrlProblem(value);
    if (problem) context.addIssue({ code: "custom", message: problem });
  });

function controllerUrlProblem(value: string): string | null {
  if (!URL.canParse(value)) return "must be a URL such as https://sealed-secrets.example.com";
  const url = new URL(value);
  if (!(url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname))))
    return "must use https (plain http only to localhost, as through kubectl port-forward)";
  if (url.username || url.password) return "must not contain a user name or password";
  if (url.search || url.hash)
    return "must not have a query or fragment: Sealdeck appends /v1/cert.pem and /v1/verify to it";
  return null;
}

/** Where the sealed-secrets controller is: discovered (default), a service named here, or a URL. */
export const sealingControllerOverrideSchema = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("discover") }),
  z.object({
    mode: z.literal("url"),
    url: controllerUrlSchema,
    /** Where the controller keeps its sealing keys (listed by metadata for the key warnings). */
    namespace: k8sName.max(63),
  }),
  z.object({
    mode: z.literal("service"),
    namespace: k8sName.max(63),
    service: k8sName.max(63),
    port: z
      .string()
      .trim()
      .regex(/^([1-9][0-9]{0,4}|[a-z]([-a-z0-9]{0,13}[a-z0-9])?)$/, "must be a port number or a port name"),
  }),
]);
export type SealingControllerOverride = z.infer<typeof sealingControllerOverrideSchema>;

export const clusterSettingSchema = z.object({
  /** Shown instead of the context name; empty means "use the context name". */
  displayName: z.string().trim().max(80, "at most 80 characters").default(""),
  environment: z.enum(environments).nullable().default(null),
  controller: sealingControllerOverrideSchema.default({ mode: "discover" }),
  /** Seal with this certificate instead of the controller's `/v1/cert.pem` (e.g. a proxy-less cluster). */
  pinnedCertificatePem: z
    .string()
    .trim()
    .max(16_384, "is too long for one certificate")
    .regex(
      /^-----BEGIN CERTIFICATE-----\s[A-Za-z0-9+/=\s]+\s-----END CERTIFICATE-----$/,
      "must be one PEM certificate (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----)",
    )
    .nullable()
    .default(null),
});
export type ClusterSetting = z.infer<typeof clusterSettingSchema>;

/** Per kubeconfig context name. */
export const clusterSettingsSchema = z.record(z.string().min(1).max(253), clusterSettingSchema);
export type ClusterSettings = z.infer<typeof clusterSettingsSchema>;

export const repositoriesSettingSchema = gitopsRepositorySchema
  .array()
  .min(1, "add at least one repository, or reset to the local default")
  .max(50)
  .refine((repos) => new Set(repos.map((r) => r.id)).size === repos.length, {
    message: "every repository needs its own id",
  });

/** Days to keep audit events (at least 30), or null to keep them forever. */
export const auditRetentionSchema = z
  .number()
  .int("must be a whole number of days")
  .min(30, "must be at least 30 days")
  .max(36_500, "must be at most 36,500 days")
  .nullable();

export const GITOPS_REPOSITORIES_SETTING = "gitops.repositories";
export const CLUSTERS_SETTING = "clusters";
export const AUDIT_RETENTION_SETTING = "audit.retention-days";

export type SettingDefinition<S extends z.ZodType> = {
  key: string;
  schema: S;
  /** In effect when the row is absent (repositories: computed on the server, see readGitopsRepositories). */
  fallback: z.output<S> | null;
  permission: Permission;
};

const define = <S extends z.ZodType>(d: SettingDefinition<S>) => d;

export const settingDefinitions = {
  clusters: define({
    key: CLUSTERS_SETTING,
    schema: clusterSettingsSchema,
    fallback: {},
    permission: "clusters:write",
  }),
  repositories: define({
    key: GITOPS_REPOSITORIES_SETTING,
    schema: repositoriesSettingSchema,
    fallback: null,
    permission: "repositories:write",
  }),
  groupMapping: define({
    key: groupMappingSettingKey,
    schema: groupMappingSchema,
    fallback: [],
    permission: "users:manage",
  }),
  auditRetention: define({
    key: AUDIT_RETENTION_SETTING,
    schema: auditRetentionSchema,
    fallback: null,
    permission: "settings:write",
  }),
  // Namespace → owning team for the Rotations page: security leads keep it, as they keep policies.
  teamMapping: define({
    key: TEAM_MAPPING_SETTING_KEY,
    schema: teamMappingSchema,
    fallback: [],
    permission: "rotation-policy:write",
  }),
};
