import "server-only";
import { AppError } from "@/lib/errors/app-error";
import { controllerProxyPath, type SealingControllerRef } from "./discover-sealing-controller";
import type { KubeAccess } from "./kube-identity";
import { kubeErrorFrom, kubeRequest } from "./kube-request";

export type ControllerResponse = { status: number; text: string };

type ControllerRequestInit = {
  method?: "GET" | "POST";
  body?: string;
  contentType?: string;
  accept?: string;
  cluster: string;
};

// A sealed-secrets controller answers in a second or it is not answering: the UI waits on this.
const DIRECT_TIMEOUT_MS = 10_000;

/**
 * One request to a sealed-secrets controller endpoint (`/v1/cert.pem`, `/v1/verify`): through the API
 * server's service proxy with the cluster's (or the impersonated user's) credentials, or straight to
 * the URL Settings names. Redirects are refused: the certificate must come from the address configured.
 */
export async function requestController(
  access: KubeAccess,
  ref: SealingControllerRef,
  endpoint: `/${string}`,
  init: ControllerRequestInit,
): Promise<ControllerResponse> {
  if (!ref.url) {
    const response = await kubeRequest(access.kc, controllerProxyPath(ref, endpoint), {
      ...init,
      namespace: ref.namespace,
      as: access.as,
    });
    return { status: response.status, text: await response.text() };
  }
  const url = new URL(`${ref.url.replace(/\/+$/, "")}${endpoint}`);
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method ?? "GET",
      body: init.body,
      headers: {
        Accept: init.accept ?? "*/*",
        ...(init.contentType ? { "Content-Type": init.contentType } : {}),
      },
      redirect: "error",
      signal: AbortSignal.timeout(DIRECT_TIMEOUT_MS),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: unknown } }).cause?.code;
    const why =
      error instanceof Error && error.name === "TimeoutError"
        ? `no answer within ${DIRECT_TIMEOUT_MS / 1000} s`
        : typeof cause === "string"
          ? cause
          : error instanceof Error
            ? error.message
            : String(error);
    throw new AppError("unavailable", `The controller at ${ref.url} could not be reached (${why}).`, {
      cluster: init.cluster,
      reason: "unreachable",
    });
  }
  return { status: response.status, text: await response.text() };
}

/** A controller's non-2xx answer as the app's error, with Kubernetes' message when the proxy gave one. */
export function controllerErrorFrom(
  response: ControllerResponse,
  ref: SealingControllerRef,
  cluster: string,
): Promise<AppError> {
  return kubeErrorFrom(
    {
      status: response.status,
      statusText: ref.url
        ? `The controller at ${ref.url} answered HTTP ${response.status}`
        : `HTTP ${response.status}`,
      json: <T>() => Promise.resolve(JSON.parse(response.text) as T),
    },
    { cluster, namespace: ref.namespace },
  );
}
