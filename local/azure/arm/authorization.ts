import { PrincipalRecord, RoleName } from "../identity/directory";

/** Whether an assignment at `assignedScope` covers `requestedScope` (it, or anything under it). */
export function scopeCovers(assignedScope: string, requestedScope: string): boolean {
  const assigned = assignedScope.replace(/\/+$/, "").toLowerCase();
  const requested = requestedScope.replace(/\/+$/, "").toLowerCase();
  return requested === assigned || requested.startsWith(assigned + "/");
}

/** The built-in roles, reduced to what decides our actions. */
function rolePermits(role: RoleName, action: string): boolean {
  const lower = action.toLowerCase();
  switch (role) {
    case "Owner":
      return true;
    case "Contributor":
      return !(lower.startsWith("microsoft.authorization/") && (lower.endsWith("/write") || lower.endsWith("/delete")));
    case "Reader":
      return lower.endsWith("/read");
  }
}

export function isAuthorized(principal: PrincipalRecord, action: string, scope: string): boolean {
  return principal.roleAssignments.some((assignment) => scopeCovers(assignment.scope, scope) && rolePermits(assignment.role, action));
}
