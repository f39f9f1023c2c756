/*
 * Unicode's bidirectional controls in text people type. A name with U+202E (right-to-left
 * override) shows "Bob" as "boB" and reverses the words after it; a U+2069 (pop directional
 * isolate) in a value closes the isolate the kit puts around that value in a right-to-left
 * sentence, so the rest of the sentence is laid out as if it were part of the name. Paragraph
 * separators do the same without being controls of their own (Unicode bidi rule X8: a paragraph
 * break closes every isolate and embedding): U+2029, U+2028, NEL (U+0085), CR, LF, U+001C–U+001E.
 */

/** Embeddings and overrides (U+202A–U+202E) and isolates (U+2066–U+2069): the controls that open or close a directional run. */
const EXPLICIT_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;

/** The explicit controls and the marks (U+200E LRM, U+200F RLM, U+061C ALM), which set the direction of neutral characters around them. */
const ALL_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Control characters (C0, DEL, C1 with NEL), line and paragraph separators: the paragraph breaks among them end an isolate; none belongs in a one-line value. */
const BREAKS_AND_CONTROLS = /[\p{Cc}\p{Zl}\p{Zp}]/gu;

/**
 * A name as the kit stores it: without any bidirectional control, control character, line or
 * paragraph separator. Removed rather than refused: they are invisible, pasted along from
 * right-to-left text or a document without the person knowing, and no name needs them, since
 * the kit sets every name apart (an isolate, `<bdi>`) where it shows it.
 */
export function withoutBidiControls(text: string): string {
  return text.replace(ALL_CONTROLS, '').replace(BREAKS_AND_CONTROLS, '');
}

/**
 * A value as it goes into a sentence: without the controls that open or close a directional run,
 * nor control characters and line or paragraph separators (a paragraph break closes the isolate
 * too), so it can neither end the isolate around it nor reorder the words after it. Marks stay:
 * they cannot reach outside the value, and the kit's own formatted dates and numbers may carry them.
 */
export function withoutDirectionalRuns(text: string): string {
  return text.replace(EXPLICIT_CONTROLS, '').replace(BREAKS_AND_CONTROLS, '');
}
