import { demoUsers } from "@/lib/auth/demo-users";
import { roleLabels } from "@/lib/auth/roles";

// Rendered only when SEALDECK_SANDBOX=1: the demo accounts and their published passwords.
export function SandboxDemoUsers() {
  return (
    <section
      aria-label="Sandbox demo users"
      className="mt-8 rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm dark:border-amber-800 dark:bg-amber-950/30"
    >
      <h2 className="font-semibold">Sandbox demo users</h2>
      <p className="mt-1 text-zinc-700 dark:text-zinc-300">
        This Sealdeck runs against the sandbox cluster. One account per role:
      </p>
      <table className="mt-3 w-full text-left">
        <thead>
          <tr className="text-zinc-600 dark:text-zinc-400">
            <th className="py-1 font-medium">Role</th>
            <th className="py-1 font-medium">Username</th>
            <th className="py-1 font-medium">Password</th>
          </tr>
        </thead>
        <tbody>
          {demoUsers.map((user) => (
            <tr key={user.username}>
              <td className="py-1">{roleLabels[user.role]}</td>
              <td className="py-1 font-mono">{user.username}</td>
              <td className="py-1 font-mono">{user.password}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
