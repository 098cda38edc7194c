/**
 * Keys, reasons and summaries are user input. Printed raw, a control character in them could act on
 * the terminal (an ANSI escape, a carriage return that overwrites the line, a newline that forges
 * one) and a bidirectional override could reorder what is shown. They are shown as `\u{…}` escapes.
 */
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export const printable = (text: string): string => text.replace(UNPRINTABLE, (c) => `\\u{${(c.codePointAt(0) as number).toString(16)}}`);
