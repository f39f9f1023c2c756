/**
 * Values a message placeholder can hold besides text and numbers. Each language writes them its own
 * way (with Intl), so they travel as values and become words only when a message is put in a language.
 */

/** A length of time, such as how long an invitation is valid: "7 days", "7 Tage". */
export class Duration {
  constructor(readonly ms: number) {}
}

/** Permissions by key: their labels in the message's language, as a list ("A, B and C"). */
export class PermissionNames {
  /** `labels` are the English ones, for an error's `message`; other languages look their own up. */
  constructor(
    readonly keys: readonly string[],
    readonly labels: readonly string[],
  ) {}
}

/** A moment said relative to now: "in 7 days", "3 hours ago". */
export class RelativeTime {
  constructor(readonly date: Date) {}
}

export type MessageValues = Record<string, unknown>;
