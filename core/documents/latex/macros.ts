/**
 * The author's own macros (`\newcommand`, `\renewcommand`, `\providecommand`,
 * `\DeclareRobustCommand`, `\def` and relatives, with or without arguments and an optional first
 * argument's default), expanded as TeX would before the text is read: `\ours` becomes "SciFact".
 * Definitions are taken out of the text; so are `\let`, `\newenvironment` and
 * `\DeclareMathOperator`, which are kept as they were written nowhere else.
 *
 * Expansion is bounded: at most MAX_MACRO_PASSES rounds (a macro that calls itself never settles),
 * MAX_EXPANSIONS replacements, and `maxChars` of text (a macro that multiplies itself, a "macro
 * bomb", grows without bound). Past a bound the document is rejected with the reason.
 */

import { RejectedArticleError } from '../../errors';
import { checkDeadline } from '../deadline';
import type { ExtractionLimits } from '../document';
import { argumentAt, commandAt, groupAt, optionalAt, skipSpace } from './tex-scanner';

export interface Macro {
  parameters: number;
  /** The default of an optional first argument (`\newcommand{\x}[2][default]{...}`). */
  optionalDefault?: string;
  body: string;
}

export const MAX_MACRO_PASSES = 32;
export const MAX_EXPANSIONS = 1_000_000;

const DEFINERS =
  /\\(newcommand|renewcommand|providecommand|DeclareRobustCommand|newrobustcmd|renewrobustcmd|def|gdef|edef|xdef|let|newenvironment|renewenvironment|DeclareMathOperator)(?![A-Za-z])/g;

/**
 * Takes every definition out of the source. A macro whose name `isReserved` (a command the reader
 * itself handles, such as `\section` or `\cite`) is removed but not expanded, so a document that
 * redefines one keeps its structure.
 */
export const takeDefinitions = (
  source: string,
  isReserved: (name: string) => boolean,
  limits: Pick<ExtractionLimits, 'deadline' | 'now'>,
): { text: string; macros: Map<string, Macro> } => {
  const macros = new Map<string, Macro>();
  const out: string[] = [];
  let copied = 0;
  const definers = new RegExp(DEFINERS.source, 'g');
  let count = 0;
  for (let match = definers.exec(source); match; match = definers.exec(source)) {
    if (++count % 64 === 0) checkDeadline(limits, 'reading LaTeX macro definitions');
    const definer = match[1] ?? '';
    const parsed = definitionAt(source, match.index + match[0].length, definer, macros);
    if (!parsed) continue;
    out.push(source.slice(copied, match.index));
    copied = parsed.end;
    definers.lastIndex = parsed.end;
    if (parsed.name && parsed.macro && !isReserved(parsed.name)) {
      if (definer !== 'providecommand' || !macros.has(parsed.name)) macros.set(parsed.name, parsed.macro);
    }
  }
  out.push(source.slice(copied));
  return { text: out.join(''), macros };
};

interface Definition {
  end: number;
  name?: string;
  macro?: Macro;
}

const definitionAt = (source: string, at: number, definer: string, macros: Map<string, Macro>): Definition | undefined => {
  if (definer === 'let') return letAt(source, at, macros);
  if (/^(def|gdef|edef|xdef)$/.test(definer)) return defAt(source, at);
  let end = skipSpace(source, at);
  if (source[end] === '*') end += 1;
  if (definer === 'newenvironment' || definer === 'renewenvironment') {
    const name = groupAt(source, end);
    if (!name) return undefined;
    end = name.end;
    for (let option = optionalAt(source, end); option; option = optionalAt(source, end)) end = option.end;
    const begin = groupAt(source, end);
    const finish = begin && groupAt(source, begin.end);
    return finish ? { end: finish.end } : undefined;
  }
  const name = controlSequenceAt(source, end);
  if (!name) return undefined;
  end = name.end;
  if (definer === 'DeclareMathOperator') {
    const body = groupAt(source, end);
    return body ? { end: body.end } : undefined;
  }
  const count = optionalAt(source, end);
  const parameters = count ? Number(count.content.trim()) : 0;
  if (count) end = count.end;
  const optional = count ? optionalAt(source, end) : undefined;
  if (optional) end = optional.end;
  const body = groupAt(source, end);
  if (!body || !Number.isInteger(parameters) || parameters < 0 || parameters > 9) return undefined;
  return {
    end: body.end,
    name: name.name,
    macro: { parameters, body: body.content, ...(optional ? { optionalDefault: optional.content } : {}) },
  };
};

/** `\name` or `{\name}`. */
const controlSequenceAt = (source: string, at: number): { name: string; end: number } | undefined => {
  const start = skipSpace(source, at);
  if (source[start] === '\\') return commandAt(source, start);
  const group = groupAt(source, start);
  const inner = group?.content.trim();
  return group && inner && /^\\[A-Za-z]+$/.test(inner) ? { name: inner.slice(1), end: group.end } : undefined;
};

/** `\def\name#1#2{body}`. Delimited parameters (`\def\x#1.{...}`) are not expanded; the definition is still removed. */
const defAt = (source: string, at: number): Definition | undefined => {
  const start = skipSpace(source, at);
  if (source[start] !== '\\') return undefined;
  const name = commandAt(source, start);
  const brace = source.indexOf('{', name.end);
  if (brace === -1 || brace - name.end > 40) return undefined;
  const parameterText = source.slice(name.end, brace).replace(/\s/g, '');
  const body = groupAt(source, brace);
  if (!body) return undefined;
  if (!/^(#[1-9])*$/.test(parameterText)) return { end: body.end };
  return { end: body.end, name: name.name, macro: { parameters: parameterText.length / 2, body: body.content } };
};

/** `\let\a\b` or `\let\a=\b`: `\a` becomes `\b`'s macro when `\b` is one. */
const letAt = (source: string, at: number, macros: Map<string, Macro>): Definition | undefined => {
  const start = skipSpace(source, at);
  if (source[start] !== '\\') return undefined;
  const name = commandAt(source, start);
  let next = skipSpace(source, name.end);
  if (source[next] === '=') next = skipSpace(source, next + 1);
  if (source[next] !== '\\') return undefined;
  const target = commandAt(source, next);
  const macro = macros.get(target.name);
  return { end: target.end, ...(macro ? { name: name.name, macro } : {}) };
};

export interface ExpansionLimits extends Pick<ExtractionLimits, 'deadline' | 'now'> {
  /** Most characters the text may grow to while macros expand. */
  maxChars: number;
}

/** Replaces every use of a macro by its body, arguments substituted, until none is left. */
export const expandMacros = (source: string, macros: Map<string, Macro>, limits: ExpansionLimits): string => {
  if (macros.size === 0) return source;
  let text = source;
  let expansions = 0;
  for (let pass = 0; pass < MAX_MACRO_PASSES; pass++) {
    checkDeadline(limits, 'expanding LaTeX macros');
    const out: string[] = [];
    let size = 0;
    let copied = 0;
    let changed = false;
    const pattern = /\\([A-Za-z]+)/g;
    for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
      const macro = macros.get(match[1] ?? '');
      if (!macro) continue;
      const { args, end } = argumentsAt(text, match.index + match[0].length, macro);
      const replacement = macro.body.replace(/#([1-9#])/g, (_, which: string) => (which === '#' ? '#' : (args[Number(which) - 1] ?? '')));
      const before = text.slice(copied, match.index);
      out.push(before, replacement);
      size += before.length + replacement.length;
      copied = end;
      pattern.lastIndex = end;
      changed = true;
      expansions += 1;
      if (size > limits.maxChars) throw macroBomb(limits.maxChars);
      if (expansions > MAX_EXPANSIONS) {
        throw new RejectedArticleError(
          `the LaTeX macros need more than ${MAX_EXPANSIONS} expansions (a macro that multiplies itself): the source cannot be read; upload the paper as PDF`,
        );
      }
      if (expansions % 256 === 0) checkDeadline(limits, 'expanding LaTeX macros');
    }
    if (!changed) return text;
    out.push(text.slice(copied));
    text = out.join('');
    if (text.length > limits.maxChars) throw macroBomb(limits.maxChars);
  }
  throw new RejectedArticleError(
    `the LaTeX macros still expand after ${MAX_MACRO_PASSES} rounds (a macro that calls itself): the source cannot be read; upload the paper as PDF`,
  );
};

const argumentsAt = (text: string, at: number, macro: Macro): { args: string[]; end: number } => {
  const args: string[] = [];
  let end = at;
  if (macro.optionalDefault !== undefined) {
    const optional = optionalAt(text, end);
    args.push(optional ? optional.content : macro.optionalDefault);
    if (optional) end = optional.end;
  }
  while (args.length < macro.parameters) {
    const argument = argumentAt(text, end);
    if (!argument) break;
    args.push(argument.content);
    end = argument.end;
  }
  return { args, end };
};

const macroBomb = (maxChars: number): RejectedArticleError =>
  new RejectedArticleError(
    `the LaTeX macros expand to more than ${maxChars} characters (a macro that multiplies itself, a macro bomb): the source cannot be read; upload the paper as PDF`,
  );
