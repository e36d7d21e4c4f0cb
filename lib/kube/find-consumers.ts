import "server-only";
import type { ConsumerReference, SecretConsumer } from "@/lib/validations/secret-record";
import { arr, obj, str } from "./read-json";
import type { KubeObject } from "./strip-object";

export type WorkloadKind = SecretConsumer["kind"];

/** Consumers by `namespace/secretName`. */
export type ConsumerIndex = Map<string, SecretConsumer[]>;

function podSpecOf(kind: WorkloadKind, workload: KubeObject) {
  const spec = obj(workload.spec);
  if (kind === "CronJob") return obj(obj(obj(obj(spec.jobTemplate).spec).template).spec);
  return obj(obj(spec.template).spec);
}

/** Every Secret name a pod spec references, and how. */
export function secretReferences(podSpec: Record<string, unknown>): Map<string, Set<ConsumerReference>> {
  const refs = new Map<string, Set<ConsumerReference>>();
  const add = (name: string | null, via: ConsumerReference) => {
    if (!name) return;
    const set = refs.get(name) ?? new Set<ConsumerReference>();
    set.add(via);
    refs.set(name, set);
  };
  const containers = [
    ...arr(podSpec.containers),
    ...arr(podSpec.initContainers),
    ...arr(podSpec.ephemeralContainers),
  ];
  for (const entry of containers) {
    const container = obj(entry);
    for (const env of arr(container.env)) add(str(obj(obj(obj(env).valueFrom).secretKeyRef).name), "env");
    for (const from of arr(container.envFrom)) add(str(obj(obj(from).secretRef).name), "envFrom");
  }
  for (const entry of arr(podSpec.volumes)) {
    const volume = obj(entry);
    add(str(obj(volume.secret).secretName), "volume");
    for (const source of arr(obj(volume.projected).sources))
      add(str(obj(obj(source).secret).name), "projected");
  }
  for (const entry of arr(podSpec.imagePullSecrets)) add(str(obj(entry).name), "imagePullSecrets");
  return refs;
}

const order: ConsumerReference[] = ["env", "envFrom", "volume", "projected", "imagePullSecrets"];

/** Indexes which workloads use which Secret, once per rebuild rather than once per secret. */
export function indexConsumers(
  workloads: { kind: WorkloadKind; objects: readonly KubeObject[] }[],
): ConsumerIndex {
  const index: ConsumerIndex = new Map();
  for (const { kind, objects } of workloads) {
    for (const workload of objects) {
      const namespace = workload.metadata.namespace ?? "";
      for (const [secret, via] of secretReferences(podSpecOf(kind, workload))) {
        const key = `${namespace}/${secret}`;
        const list = index.get(key) ?? [];
        list.push({
          kind,
          namespace,
          name: workload.metadata.name ?? "",
          via: order.filter((v) => via.has(v)),
        });
        index.set(key, list);
      }
    }
  }
  return index;
}

export function findConsumers(index: ConsumerIndex, namespace: string, secretName: string): SecretConsumer[] {
  return index.get(`${namespace}/${secretName}`) ?? [];
}
