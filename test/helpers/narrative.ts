/**
 * Checks a FHIR narrative div with a real XML parser (fast-xml-parser): well-formed XML, the
 * XHTML namespace on the root div, only the HTML 4 formatting elements txt-1 allows and no
 * attributes besides that namespace, and some non-whitespace content (txt-2).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

// The elements of HTML 4 chapters 7-11 and 15 that txt-1 allows (no forms, scripts or objects).
const TXT1_ELEMENTS = new Set(
  'a abbr acronym b big blockquote br caption cite code col colgroup dd dfn div dl dt em h1 h2 h3 h4 h5 h6 hr i img kbd li ol p pre q samp small span strong sub sup table tbody td tfoot th thead tr tt ul var'.split(
    ' ',
  ),
);

type Node = Record<string, unknown>;

const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', processEntities: true, htmlEntities: true, trimValues: false });

/** Every problem with `div`; empty when it is a valid narrative. */
export function narrativeProblems(div: string): string[] {
  const valid = XMLValidator.validate(div);
  if (valid !== true) return [`not well-formed XML: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`];
  const roots = parser.parse(div) as Node[];
  const problems: string[] = [];
  if (roots.length !== 1 || !('div' in roots[0]!)) return ['the narrative must be one div element'];
  const rootAttributes = (roots[0]![':@'] ?? {}) as Record<string, string>;
  if (rootAttributes.xmlns !== 'http://www.w3.org/1999/xhtml') problems.push('the root div lacks the XHTML namespace');
  let text = '';
  const walk = (nodes: Node[], isRoot: boolean) => {
    for (const node of nodes) {
      for (const [key, value] of Object.entries(node)) {
        if (key === ':@') {
          const names = Object.keys(value as object).filter((n) => !(isRoot && n === 'xmlns'));
          if (names.length > 0) problems.push(`unexpected attribute(s) ${names.join(', ')}`);
        } else if (key === '#text') {
          text += String(value);
        } else {
          if (!TXT1_ELEMENTS.has(key)) problems.push(`element <${key}> is not allowed in a narrative (txt-1)`);
          walk(value as Node[], false);
        }
      }
    }
  };
  walk(roots, true);
  if (text.trim().length === 0) problems.push('the narrative has no non-whitespace content (txt-2)');
  return problems;
}

/** The text content of a div, entities decoded, for comparing with the values that went in. */
export function narrativeText(div: string): string {
  let text = '';
  const walk = (nodes: Node[]) => {
    for (const node of nodes) {
      for (const [key, value] of Object.entries(node)) {
        if (key === '#text') text += String(value);
        else if (key !== ':@') walk(value as Node[]);
      }
    }
  };
  walk(parser.parse(div) as Node[]);
  return text;
}
