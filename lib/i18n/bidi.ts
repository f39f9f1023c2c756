/*
 * Unicode's bidirectional controls in text people type. A name with U+202E (right-to-left
 * override) shows "Bob" as "boB" and reverses the words after it; a U+2069 (pop directional
 * isolate) in a value closes the isolate the kit puts around that value in a right-to-left
 * sentence, so the rest of the sentence is laid out as if it were part of the name.
 */

/** Embeddings and overrides (U+202A–U+202E) and isolates (U+2066–U+2069): the controls that open or close a directional run. */
const EXPLICIT_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;

/** The explicit controls and the marks (U+200E LRM, U+200F RLM, U+061C ALM), which set the direction of neutral characters around them. */
const ALL_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * A name as the kit stores it: without any bidirectional control. Removed rather than refused:
 * they are invisible, pasted along from right-to-left text without the person knowing, and no
 * name needs them, since the kit sets every name apart (an isolate, `<bdi>`) where it shows it.
 */
export function withoutBidiControls(text: string): string {
  return text.replace(ALL_CONTROLS, '');
}

/**
 * A value as it goes into a sentence: without the controls that open or close a directional run,
 * so it can neither end the isolate around it nor reorder the words after it. Marks stay: they
 * cannot reach outside the value, and the kit's own formatted dates and numbers may carry them.
 */
export function withoutDirectionalRuns(text: string): string {
  return text.replace(EXPLICIT_CONTROLS, '');
}
