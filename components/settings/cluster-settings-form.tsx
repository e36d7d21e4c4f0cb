"use client";

import { useId, useState, type FormEvent } from "react";
import { saveClusterSettings } from "@/lib/settings/actions/save-cluster-settings";
import { clusterSettingSchema, environments, type ClusterSetting } from "@/lib/settings/setting-keys";
import { fieldClass, mutedClass, primaryButtonClass } from "./settings-classes";
import { ActionStatus, useSettingsAction } from "./use-settings-action";

type ClusterSettingsFormProps = { cluster: string; setting: ClusterSetting };

const modeLabels = {
  discover: "Discover it (kubeseal default, then by label)",
  service: "This service:",
  url: "This URL (no service proxy):",
} as const;

// One cluster's display name, environment and sealing-controller override.
export function ClusterSettingsForm({ cluster, setting }: ClusterSettingsFormProps) {
  const id = useId();
  const { run, pending, error, setError, saved } = useSettingsAction();
  const [displayName, setDisplayName] = useState(setting.displayName);
  const [environment, setEnvironment] = useState<string>(setting.environment ?? "");
  const [mode, setMode] = useState(setting.controller.mode);
  const service = setting.controller.mode === "service" ? setting.controller : null;
  const direct = setting.controller.mode === "url" ? setting.controller : null;
  const [namespace, setNamespace] = useState(
    setting.controller.mode === "discover" ? "kube-system" : setting.controller.namespace,
  );
  const [url, setUrl] = useState(direct?.url ?? "");
  const [serviceName, setServiceName] = useState(service?.service ?? "sealed-secrets-controller");
  const [port, setPort] = useState(service?.port ?? "http");
  const [pinned, setPinned] = useState(setting.pinnedCertificatePem ?? "");
  const [renewal, setRenewal] = useState(
    setting.keyRenewalDays === null ? "" : String(setting.keyRenewalDays),
  );
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const candidate = {
      displayName,
      environment: environment === "" ? null : environment,
      controller:
        mode === "service"
          ? { mode, namespace, service: serviceName, port }
          : mode === "url"
            ? { mode, url, namespace }
            : { mode },
      pinnedCertificatePem: pinned.trim() === "" ? null : pinned,
      keyRenewalDays: renewal.trim() === "" ? null : Number(renewal.trim()),
    };
    const parsed = clusterSettingSchema.safeParse(candidate);
    if (!parsed.success) {
      const errors: Record<string, string> = {};
      for (const issue of parsed.error.issues) errors[String(issue.path.at(-1))] ??= issue.message;
      setFieldErrors(errors);
      setError("Some fields are not valid.");
      return;
    }
    setFieldErrors({});
    run(() => saveClusterSettings({ cluster, ...parsed.data }));
  };

  const field = (
    name: string,
    label: string,
    value: string,
    set: (v: string) => void,
    hint?: string,
    help?: string,
  ) => (
    <div>
      <label htmlFor={`${id}-${name}`} className="block text-xs font-medium">
        {label}
      </label>
      <input
        id={`${id}-${name}`}
        value={value}
        onChange={(e) => set(e.target.value)}
        aria-invalid={Boolean(fieldErrors[name])}
        aria-describedby={`${help ? `${id}-${name}-help ` : ""}${id}-${name}-error`}
        placeholder={hint}
        autoComplete="off"
        spellCheck={false}
        className={fieldClass}
      />
      {help && (
        <p id={`${id}-${name}-help`} className={`text-xs ${mutedClass}`}>
          {help}
        </p>
      )}
      <p id={`${id}-${name}-error`} className="text-xs text-red-700 dark:text-red-400">
        {fieldErrors[name]}
      </p>
    </div>
  );

  return (
    <form onSubmit={onSubmit} aria-label={`Settings of cluster ${cluster}`} className="space-y-2">
      <div className="grid gap-2 sm:grid-cols-2">
        {field("displayName", "Display name", displayName, setDisplayName, cluster)}
        <div>
          <label htmlFor={`${id}-environment`} className="block text-xs font-medium">
            Environment
          </label>
          <select
            id={`${id}-environment`}
            value={environment}
            onChange={(e) => setEnvironment(e.target.value)}
            className={fieldClass}
          >
            <option value="">not set</option>
            {environments.map((env) => (
              <option key={env} value={env}>
                {env}
              </option>
            ))}
          </select>
        </div>
      </div>
      <fieldset className="space-y-2">
        <legend className="text-xs font-medium">Sealing controller</legend>
        <div className="flex flex-wrap gap-4 text-sm">
          {(["discover", "service", "url"] as const).map((value) => (
            <label key={value} className="inline-flex items-center gap-1.5">
              <input
                type="radio"
                name={`${id}-mode`}
                value={value}
                checked={mode === value}
                onChange={() => setMode(value)}
              />
              {modeLabels[value]}
            </label>
          ))}
        </div>
        {mode === "service" && (
          <div className="grid gap-2 sm:grid-cols-3">
            {field("namespace", "Namespace", namespace, setNamespace)}
            {field("service", "Service", serviceName, setServiceName)}
            {field("port", "Port (number or name)", port, setPort)}
          </div>
        )}
        {mode === "url" && (
          <div className="grid gap-2 sm:grid-cols-[2fr_1fr]">
            {field(
              "url",
              "Controller URL",
              url,
              setUrl,
              "https://sealed-secrets.example.com",
              "Sealdeck reads /v1/cert.pem and asks /v1/verify there, not through the API server. https, or http to localhost (kubectl port-forward).",
            )}
            {field(
              "namespace",
              "Namespace of its keys",
              namespace,
              setNamespace,
              "kube-system",
              "Where the controller keeps its sealing keys, for the key warnings.",
            )}
          </div>
        )}
        <div>
          <label htmlFor={`${id}-pinned`} className="block text-xs font-medium">
            Pinned sealing certificate (PEM, optional)
          </label>
          <textarea
            id={`${id}-pinned`}
            value={pinned}
            onChange={(e) => setPinned(e.target.value)}
            rows={3}
            placeholder="-----BEGIN CERTIFICATE-----"
            aria-invalid={Boolean(fieldErrors.pinnedCertificatePem)}
            aria-describedby={`${id}-pinned-hint ${id}-pinned-error`}
            spellCheck={false}
            className={`${fieldClass} font-mono text-xs`}
          />
          <p id={`${id}-pinned-hint`} className={`text-xs ${mutedClass}`}>
            When set, new secrets are sealed with this certificate instead of the controller&apos;s current
            one (kubeseal --fetch-cert). Leave empty to read it from the controller.
          </p>
          <p id={`${id}-pinned-error`} className="text-xs text-red-700 dark:text-red-400">
            {fieldErrors.pinnedCertificatePem}
          </p>
        </div>
        <div className="sm:w-1/2">
          {field(
            "keyRenewalDays",
            "Key renewal period (days)",
            renewal,
            setRenewal,
            "30 (default)",
            "The controller's --key-renew-period, for the overdue-renewal warning. Empty: 30 days; 0: renewal disabled.",
          )}
        </div>
        <p className={`text-xs ${mutedClass}`}>
          A changed controller is looked up again at the next refresh (within a minute).
        </p>
      </fieldset>
      <button type="submit" disabled={pending} className={primaryButtonClass}>
        {pending ? "Saving…" : `Save ${cluster}`}
      </button>
      <ActionStatus error={error} saved={saved} />
    </form>
  );
}
