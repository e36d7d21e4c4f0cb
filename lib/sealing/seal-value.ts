import { encodeBase64 } from "./encode-base64";
import { hybridEncrypt } from "./hybrid-encrypt";
import { encryptionLabel, type SealingScope } from "./scope";

const utf8 = new TextEncoder();

/** Where a sealed value may be unsealed; `namespace` and `name` are ignored where the scope ignores them. */
export type SealTarget = { scope: SealingScope; namespace: string; name: string };

/**
 * Seals one value into the base64 string stored in `spec.encryptedData`, like
 * `kubeseal --raw` (`EncryptSecretItem` in pkg/kubeseal/kubeseal.go). Strings are encoded as UTF-8.
 *
 * @see https://github.com/bitnami-labs/sealed-secrets/blob/main/pkg/kubeseal/kubeseal.go
 */
export async function sealValue(
  publicKey: CryptoKey,
  value: Uint8Array | string,
  target: SealTarget,
): Promise<string> {
  const label = utf8.encode(encryptionLabel(target.scope, target.namespace, target.name));
  const plaintext = typeof value === "string" ? utf8.encode(value) : value;
  return encodeBase64(await hybridEncrypt(publicKey, plaintext, label));
}
