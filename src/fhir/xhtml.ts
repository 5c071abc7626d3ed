/**
 * The XHTML of FHIR narratives (`text.div`): escaped text and the few HTML 4 elements the
 * narrative rules (txt-1) allow. Every value goes through escapeXhtml, so any string yields a
 * well-formed div.
 */
import type { Narrative } from '@medplum/fhirtypes';

export const XHTML_NAMESPACE = 'http://www.w3.org/1999/xhtml';

// Characters XML 1.0 cannot hold, even as character references: C0 controls other than tab,
// line feed and carriage return, lone surrogates, U+FFFE and U+FFFF.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Any character escapeXhtml changes (markup, controls, any surrogate, U+FFFE/U+FFFF): most text has none. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const MAY_CHANGE = /[&<>"'\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

/** Text content or attribute value: markup characters escaped, non-XML characters replaced by U+FFFD. */
export function escapeXhtml(text: string): string {
  if (!MAY_CHANGE.test(text)) return text;
  return text.replace(NOT_XML_CHAR, '\uFFFD').replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** `<tag>escaped text</tag>` */
export const element = (tag: string, text: string): string => `<${tag}>${escapeXhtml(text)}</${tag}>`;

/** A table with a header row; cells are escaped text. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const row = (cells: readonly string[], tag: 'th' | 'td') => `<tr>${cells.map((c) => element(tag, c)).join('')}</tr>`;
  return `<table>${row(headers, 'th')}${rows.map((r) => row(r, 'td')).join('')}</table>`;
}

/** A generated narrative whose div holds `body` (already XHTML). */
export function generatedNarrative(body: string): Narrative {
  return { status: 'generated', div: `<div xmlns="${XHTML_NAMESPACE}">${body}</div>` };
}

/** The resource with `text` placed where FHIR JSON puts it: after `id` and `meta`. */
export function withNarrative<T extends { readonly resourceType: string }>(resource: T, text: Narrative): T {
  const { resourceType, id, meta, implicitRules, language, text: _old, ...rest } = resource as T & Record<string, unknown>;
  return {
    resourceType,
    ...(id !== undefined ? { id } : {}),
    ...(meta !== undefined ? { meta } : {}),
    ...(implicitRules !== undefined ? { implicitRules } : {}),
    ...(language !== undefined ? { language } : {}),
    text,
    ...rest,
  } as unknown as T;
}
