import { z } from "zod";
import { sealingScopes, secretKinds } from "./secret-record";

// What the seal form sends to the server once values are sealed in the page: ciphertexts, names and
// metadata only. Nothing here can carry a plaintext value, and the schemas below refuse unknown fields
// (`strictObject`) so a future form bug cannot smuggle one through.

const dnsLabel = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a DNS label (lowercase letters, digits, dashes)");
const dnsSubdomain = z
  .string()
  .min(1)
  .max(253)
  .regex(
    /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/,
    "must be a DNS subdomain (lowercase letters, digits, dots, dashes)",
  );
/** A Secret data key as Kubernetes accepts it. */
export const secretKeyNameSchema = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[-._a-zA-Z0-9]+$/, "may contain letters, digits, '-', '_' and '.' only");
const hex64 = z.string().regex(/^[0-9a-f]{64}$/, "must be a SHA-256 fingerprint (64 lowercase hex digits)");
const clusterName = z.string().min(1).max(253);

const metadataSchema = z.strictObject({
  name: dnsSubdomain,
  namespace: dnsLabel.optional(),
  labels: z.record(z.string().max(317), z.string().max(63)).optional(),
  annotations: z.record(z.string().max(317), z.string().max(262_144)).optional(),
});

/** A SealedSecret as lib/sealing builds it in the browser (see lib/sealing/sealed-secret-manifest.ts). */
export const sealedSecretManifestSchema = z.strictObject({
  apiVersion: z.literal("bitnami.com/v1alpha1"),
  kind: z.literal("SealedSecret"),
  metadata: metadataSchema,
  spec: z.strictObject({
    // Ciphertexts are base64; anything else (a pasted plaintext, say) is refused here.
    encryptedData: z.record(
      secretKeyNameSchema,
      z
        .string()
        .regex(/^[A-Za-z0-9+/]+={0,2}$/)
        .max(2_000_000),
    ),
    template: z.strictObject({
      metadata: metadataSchema,
      type: z.string().min(1).max(253),
      immutable: z.boolean().optional(),
    }),
  }),
});

/** A repository-relative path the user may edit before proposing. */
export const manifestPathSchema = z
  .string()
  .trim()
  .min(1)
  .max(300)
  .refine((p) => !p.startsWith("/") && !p.split("/").includes(".."), "must be a path inside the repository")
  .refine((p) => !/[\\\x00-\x1f\x7f]/.test(p), "must not contain backslashes or control characters")
  .refine((p) => /\.(ya?ml|json)$/.test(p), "must end in .yaml, .yml or .json");

export const proposalFileSchema = z.strictObject({
  cluster: clusterName,
  /** SHA-256 of the certificate (DER) this cluster's values were sealed with. */
  certificateFingerprint: hex64,
  manifest: sealedSecretManifestSchema,
  /** Where to write it; when absent the server locates the file (Argo CD, templates, search). */
  path: manifestPathSchema.optional(),
});

export const proposalActions = ["create", "rotate", "update"] as const;

export const proposeSealedSecretInputSchema = z
  .strictObject({
    /** Repository id from Settings; absent = the first configured (or the local default). */
    repository: z.string().min(1).max(63).optional(),
    action: z.enum(proposalActions),
    namespace: dnsLabel,
    name: dnsSubdomain,
    scope: z.enum(sealingScopes),
    /** Key names changed by this request (for a rotation: only those). */
    keys: z.array(secretKeyNameSchema).min(1).max(500),
    files: z.array(proposalFileSchema).min(1).max(20),
    reason: z.string().trim().max(500).optional(),
    ticket: z.string().trim().max(100).optional(),
    /**
     * A rotation of a SealedSecret that is in a cluster but in no file: write its live manifest (metadata
     * and ciphertext, read from the cluster) into Git in the same pull request, then merge the new values.
     */
    adopt: z.boolean().optional(),
    /**
     * A re-seal campaign's id: commit onto that campaign's open pull request in this repository (another
     * of its secrets') instead of opening the secret's own. The server finds that pull request itself.
     */
    addToCampaign: z.uuid().optional(),
  })
  .superRefine((input, ctx) => {
    const clusters = input.files.map((f) => f.cluster);
    if (new Set(clusters).size !== clusters.length)
      ctx.addIssue({ code: "custom", path: ["files"], message: "each cluster may appear once" });
    for (const [i, file] of input.files.entries()) {
      const m = file.manifest;
      if (m.metadata.name !== input.name || (m.metadata.namespace ?? input.namespace) !== input.namespace)
        ctx.addIssue({ code: "custom", path: ["files", i, "manifest"], message: "is for another secret" });
      const sealedKeys = Object.keys(m.spec.encryptedData);
      for (const key of input.keys)
        if (!sealedKeys.includes(key))
          ctx.addIssue({ code: "custom", path: ["files", i], message: `has no sealed value for ${key}` });
    }
  });

export type ProposeSealedSecretInput = z.infer<typeof proposeSealedSecretInputSchema>;

export type ProposeSealedSecretResult = {
  pullRequest: { number: number; url: string; state: "open" | "merged" | "closed" };
  branch: string;
  /** False when the secret's open pull request was updated instead of a new one opened. */
  created: boolean;
  files: { cluster: string; path: string }[];
  /** Added to a re-seal campaign's pull request: how many secrets it holds now. */
  sharedSecrets?: number;
};

/** A re-seal campaign's open pull request another of its secrets may be added to (see addToCampaign). */
export type CampaignPullRequest = {
  repository: string;
  branch: string;
  /** 0 for plain git. */
  number: number;
  url: string;
  /** How many secrets it holds. */
  secrets: number;
};

/** Validate sealed manifests against each cluster's controller before proposing (/v1/verify). */
export const verifySealedManifestsInputSchema = z.strictObject({
  files: z
    .array(z.strictObject({ cluster: clusterName, manifest: sealedSecretManifestSchema }))
    .min(1)
    .max(20),
});

export type VerifySealedManifestsResult = {
  cluster: string;
  /** "valid": the controller can decrypt it; "invalid": it cannot; "unreachable": not checked. */
  outcome: "valid" | "invalid" | "unreachable";
  message: string | null;
}[];

/** Where each cluster's manifest would be written, shown (and editable) before proposing. */
export const locateProposalFilesInputSchema = z.strictObject({
  repository: z.string().min(1).max(63).optional(),
  namespace: dnsLabel,
  name: dnsSubdomain,
  clusters: z.array(clusterName).min(1).max(20),
  /** Opened from a re-seal campaign: also say whether it has an open pull request to add this to. */
  campaign: z.uuid().optional(),
});

export type LocateProposalFilesResult = {
  repository: string;
  /** With `campaign`: its open pull request in this repository, or null when it has none. */
  campaignPullRequest?: CampaignPullRequest | null;
  files: {
    cluster: string;
    path: string;
    via: "argocd" | "template" | "search" | "new";
    /** The file exists (it may hold other secrets). */
    exists: boolean;
    /** The file holds this SealedSecret: false means Git has no manifest of it (yet). */
    found: boolean;
  }[];
};

/** What a proposal would commit, per file, shown before committing: the same input as the proposal. */
export const previewProposalInputSchema = proposeSealedSecretInputSchema;

export type PreviewProposalResult = {
  /**
   * What "before" is: the base branch's head, or (adding to a re-seal campaign's pull request) that pull
   * request's branch head, which may already hold the campaign's earlier commits.
   */
  base: { branch: string; commit: string; shared: boolean };
  files: {
    cluster: string;
    path: string;
    /** The file before: from `base` ("git"), the cluster's live SealedSecret ("cluster"), none. */
    before: string | null;
    beforeSource: "git" | "cluster" | "none";
    after: string;
  }[];
};

/** `GET /api/clusters/<cluster>/certificate`: the sealing certificate the browser seals with. */
export type SealingCertificateResponse = {
  cluster: string;
  pem: string;
  fingerprintSha256: string;
  publicKeySha256: string;
  notAfter: string;
  expired: boolean;
  controller: { namespace: string; service: string; url?: string | null };
};

export const secretAddressSchema = z.strictObject({
  cluster: clusterName,
  namespace: z.string().min(1).max(253),
  kind: z.enum(secretKinds),
  name: z.string().min(1).max(253),
});
