// oidc-provider (a test-only devDependency) ships no types; this is the part the Vitest tests use, as
// its docs describe it (https://github.com/panva/node-oidc-provider/blob/main/docs/README.md).
declare module "oidc-provider" {
  import type { IncomingMessage, ServerResponse } from "node:http";

  type Claims = Record<string, unknown>;
  type Account = { accountId: string; claims(use: string, scope: string): Promise<Claims> | Claims };
  type Configuration = {
    clients?: Record<string, unknown>[];
    scopes?: string[];
    claims?: Record<string, string[]>;
    findAccount?(ctx: unknown, id: string): Promise<Account | undefined> | Account | undefined;
    [key: string]: unknown;
  };
  interface Model {
    save(): Promise<string>;
  }
  class Grant implements Model {
    constructor(properties: { accountId: string; clientId: string });
    addOIDCScope(scope: string): void;
    save(): Promise<string>;
  }
  class RefreshToken implements Model {
    constructor(properties: Record<string, unknown>);
    save(): Promise<string>;
  }
  export default class Provider {
    constructor(issuer: string, configuration?: Configuration);
    Client: { find(id: string): Promise<unknown> };
    Grant: typeof Grant;
    RefreshToken: typeof RefreshToken;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
  }
}
