// Imports nothing: the membership mapping (services/accounts) applies it without a circle through au.api's actor checks.

/**
 * The rule as the guard, `can` and au.api apply it to one member: the account requires a factor, the
 * grace (if any) is over, and the member's login has none. Pure: the membership row read by the
 * guard's one statement carries all three.
 */
export function enrolmentDue(row: { twoFactorRequired: boolean; twoFactorGraceUntil: Date | null; twoFactorEnabledAt: Date | null }, now: Date): boolean {
  if (!row.twoFactorRequired || row.twoFactorEnabledAt) return false;
  return !row.twoFactorGraceUntil || row.twoFactorGraceUntil.getTime() <= now.getTime();
}
