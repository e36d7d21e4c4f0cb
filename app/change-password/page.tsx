import type { Metadata } from "next";
import { ChangePasswordForm } from "@/components/auth/change-password-form";
import { PageHeader } from "@/components/ui/page-header";
import { guardPage } from "@/lib/auth/guard-page";
import { roleLandingPages } from "@/lib/auth/roles";

export const metadata: Metadata = { title: "Change password" };

export default async function ChangePasswordPage() {
  const access = await guardPage("/change-password");
  if (!access.allowed) return access.page;
  const { principal } = access;
  if (principal.external) {
    return (
      <div className="max-w-md">
        <PageHeader
          title="Change password"
          description="You sign in through your identity provider: change your password there."
        />
      </div>
    );
  }
  return (
    <div className="max-w-md">
      <PageHeader
        title="Change password"
        description={
          principal.mustChangePassword
            ? "You signed in with a one-time password. Choose your own to continue."
            : "Choose a new password. Your other sessions will be signed out."
        }
      />
      <ChangePasswordForm username={principal.username} next={roleLandingPages[principal.role]} />
    </div>
  );
}
