// Cluster names as kubeconfig contexts spell them (EKS ARNs, user@cluster...), nothing that could
// inject: the audit webhook's `?cluster=` and the keys of SEALDECK_K8S_AUDIT_TOKENS. Isomorphic.
export const CLUSTER_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,252}$/;
