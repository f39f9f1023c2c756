/**
 * Wall-clock times in a viewer's IANA time zone, both ways: what a stored UTC moment reads as on
 * their clock (a form field's value), and which UTC moment a zone-less form value means there.
 * Intl knows every zone's rules (summer time included); nothing here keeps a table of its own.
 */

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function partsIn(zone: string): Intl.DateTimeFormat {
  let f = partsFormatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    // Bounded by the zones Intl knows (about 600); a host function giving unknown ones never gets here.
    if (partsFormatters.size < 1000) partsFormatters.set(zone, f);
  }
  return f;
}

/** The wall-clock fields of a moment in `zone`. */
function wallClock(ms: number, zone: string): { y: number; mo: number; d: number; h: number; mi: number; s: number } {
  const parts = Object.fromEntries(
    partsIn(zone)
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  return { y: Number(parts.year), mo: Number(parts.month), d: Number(parts.day), h: Number(parts.hour), mi: Number(parts.minute), s: Number(parts.second) };
}

/** How far `zone` is ahead of UTC at the moment `ms`, in ms (Berlin in winter: 3 600 000). */
export function zoneOffsetMs(ms: number, zone: string): number {
  const w = wallClock(ms, zone);
  const asUtc = new Date(0);
  asUtc.setUTCFullYear(w.y, w.mo - 1, w.d);
  asUtc.setUTCHours(w.h, w.mi, w.s, 0);
  return asUtc.getTime() - (ms - (((ms % 1000) + 1000) % 1000));
}

/** `YYYY-MM-DDTHH:mm` of a moment on `zone`'s clock: a datetime-local field's value. */
export function wallTimeValue(date: Date, zone: string): string {
  const w = wallClock(date.getTime(), zone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${String(w.y).padStart(4, '0')}-${two(w.mo)}-${two(w.d)}T${two(w.h)}:${two(w.mi)}`;
}

/**
 * The `±hh:mm` that `zone` has at the wall-clock time `utcFieldsMs` (the fields written as if UTC).
 * Across a change of offset: a time that occurs twice (autumn) takes the first, one that the clock
 * skips (spring) takes the offset before the change, so 02:30 on that day means 03:30 after it.
 */
export function offsetAtWallTime(utcFieldsMs: number, zone: string): string {
  // The offset a few hours either side of the moment: when they agree, that is it.
  const before = zoneOffsetMs(utcFieldsMs - 12 * 3_600_000, zone);
  const after = zoneOffsetMs(utcFieldsMs + 12 * 3_600_000, zone);
  let offset = before;
  // Valid under the earlier offset (or in a gap, valid under neither): the earlier; else the later.
  if (before !== after && zoneOffsetMs(utcFieldsMs - before, zone) !== before && zoneOffsetMs(utcFieldsMs - after, zone) === after) offset = after;
  const sign = offset < 0 ? '-' : '+';
  const minutes = Math.abs(offset) / 60_000;
  return `${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
