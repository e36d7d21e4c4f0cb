// OpenID Connect puts claims in the ID token, in the userinfo answer, or both (Core §5.4: with an access
// token, scope-requested claims such as groups are often returned only by userinfo). Sealdeck reads both:
// every claim from the ID token first, then the ones it lacks from userinfo. Userinfo whose `sub` differs
// from the ID token's is ignored, as Core §5.3.2 requires (it may belong to someone else).

export type Claims = Record<string, unknown>;

/** The profile Sealdeck maps: the ID token's claims, completed by userinfo's (same subject only). */
export function mergeOidcClaims(idToken: Claims, userinfo: Claims | null, groupsClaim: string): Claims {
  if (!userinfo || userinfo.sub !== idToken.sub) return { ...idToken };
  const merged: Claims = { ...userinfo, ...idToken };
  // An empty or absent groups claim in the ID token is "not sent here", not "member of nothing".
  const fromToken = idToken[groupsClaim];
  const tokenHasGroups = Array.isArray(fromToken) ? fromToken.length > 0 : typeof fromToken === "string";
  if (!tokenHasGroups && userinfo[groupsClaim] !== undefined) merged[groupsClaim] = userinfo[groupsClaim];
  return merged;
}
