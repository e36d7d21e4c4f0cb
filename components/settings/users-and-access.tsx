import { formatTimestamp } from "@/components/ui/format-timestamp";
import { Card } from "@/components/ui/card";
import type { UserSummary } from "@/lib/auth/list-users";
import { roleLabels } from "@/lib/auth/roles";
import { UsersGrantsEditor } from "./users-grants-editor";
import { UsersRowActions } from "./users-row-actions";

type UsersAndAccessProps = { users: UserSummary[]; canManage: boolean; self: string };

const sourceLabels: Record<UserSummary["source"], string> = {
  local: "local account",
  "group-mapping": "from OIDC groups",
  "identity-provider": "identity provider",
};

const formatTime = (iso: string | null) => formatTimestamp(iso, "never");

// Settings → Users and access: who has which role and grants, and when they last signed in.
export function UsersAndAccess({ users, canManage, self }: UsersAndAccessProps) {
  return (
    <Card title="Users and access" id="users-and-access" className="lg:col-span-2">
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm">
          <thead className="text-zinc-600 dark:text-zinc-400">
            <tr>
              <th scope="col" className="py-2 pr-4 font-medium">
                User
              </th>
              <th scope="col" className="py-2 pr-4 font-medium">
                Role
              </th>
              <th scope="col" className="py-2 pr-4 font-medium">
                Namespace grants
              </th>
              <th scope="col" className="py-2 pr-4 font-medium">
                Last sign-in
              </th>
              {canManage && (
                <th scope="col" className="py-2 font-medium">
                  Sessions
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {users.map((user) => (
              <tr
                key={user.id}
                data-testid={`user-row-${user.username}`}
                className="border-t border-zinc-200 align-top dark:border-zinc-800"
              >
                <td className="py-2 pr-4">
                  <div className="font-medium">{user.displayName}</div>
                  <div className="text-zinc-600 dark:text-zinc-400">
                    {user.username} · {sourceLabels[user.source]}
                    {user.lockedUntil && ` · locked until ${formatTime(user.lockedUntil)}`}
                  </div>
                </td>
                <td className="py-2 pr-4">
                  {canManage && user.username !== self ? (
                    <UsersRowActions
                      userId={user.id}
                      username={user.username}
                      role={user.role}
                      part="role"
                      openSessions={user.openSessions}
                    />
                  ) : (
                    roleLabels[user.role]
                  )}
                </td>
                <td className="py-2 pr-4">
                  {canManage ? (
                    <UsersGrantsEditor
                      userId={user.id}
                      username={user.username}
                      grants={user.grants}
                      groupManaged={user.source === "group-mapping"}
                    />
                  ) : user.grants.length === 0 ? (
                    <span className="text-zinc-500">none</span>
                  ) : (
                    user.grants
                      .map(
                        (grant) =>
                          `${grant.cluster}/${grant.namespace}${user.source === "group-mapping" ? ` (${grant.source === "mapping" ? "group mapping" : "admin"})` : ""}`,
                      )
                      .join(", ")
                  )}
                </td>
                <td className="py-2 pr-4 whitespace-nowrap">{formatTime(user.lastSignInAt)}</td>
                {canManage && (
                  <td className="py-2">
                    <UsersRowActions
                      userId={user.id}
                      username={user.username}
                      role={user.role}
                      part="sessions"
                      openSessions={user.openSessions}
                    />
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="mt-3 text-xs text-zinc-600 dark:text-zinc-400">
        Grants apply to developers. &quot;*&quot; stands for every cluster or every namespace. Changes apply
        to the user&apos;s next request.
      </p>
    </Card>
  );
}
