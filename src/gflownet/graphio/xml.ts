/**
 * XML for GraphML: escaping for the writers, and a strict reader on top of fast-xml-parser.
 * Its validator checks well-formedness (with the line); its parser gives the element tree with
 * each element's offset, from which we count lines. Entity expansion is off in the parser:
 * we decode only the five predefined entities and numeric character references ourselves, and
 * refuse a DOCTYPE (where entities would be declared) and any other entity, so no file can
 * make the reader expand or fetch anything. Errors name the file and line, so a truncated or
 * corrupted file is never half-read.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { DagflowError } from '../core/errors.ts';

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export interface XmlElement {
  /** Qualified name as written (`y:ShapeNode`). */
  name: string;
  /** Name without a namespace prefix. */
  local: string;
  attributes: Map<string, string>;
  children: XmlElement[];
  /** Concatenated character data directly inside this element. */
  text: string;
  /** 1-based line of the start tag. */
  line: number;
}

/** fast-xml-parser's ordered output: one key naming the element (or #text, #cdata, ?pi), attributes under ':@'. */
type OrderedNode = { [name: string]: OrderedNode[] | string | Record<string, string> | undefined } & { ':@'?: Record<string, string> };
interface NodeOffsets {
  startIndex?: number;
  endIndex?: number;
}

const TEXT = '#text';
const CDATA = '#cdata';
const ATTRIBUTES = ':@';
const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  processEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  cdataPropName: CDATA,
  captureMetaData: true,
});
const OFFSETS = XMLParser.getMetaDataSymbol() as unknown as symbol;

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let k = text.indexOf('\n'); k >= 0; k = text.indexOf('\n', k + 1)) this.starts.push(k + 1);
  }

  /** 1-based line of a character offset. */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  get lines(): number {
    return this.starts.length;
  }
}

function fail(file: string, line: number, message: string): never {
  throw new DagflowError('BAD_GRAPH', `line ${line}: ${message}`, { file, row: line }, 'the file is not well-formed XML');
}

function decode(raw: string, file: string, line: number): string {
  return raw.replace(/&([^;&\s<]*);?/g, (match, ref: string) => {
    const numeric = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(ref);
    if (match.endsWith(';') && numeric) {
      const code = numeric[1] !== undefined ? parseInt(numeric[1], 16) : Number(numeric[2]);
      if (code > 0 && code <= 0x10ffff) return String.fromCodePoint(code);
    }
    if (match.endsWith(';') && PREDEFINED[ref] !== undefined) return PREDEFINED[ref];
    return fail(file, line, `unknown entity "${match}"`);
  });
}

/** The deepest element on the last path of the tree that never got its end tag. */
function unclosed(nodes: readonly OrderedNode[]): OrderedNode | undefined {
  for (let k = nodes.length - 1; k >= 0; k--) {
    const node = nodes[k]!;
    const name = elementName(node);
    if (name === undefined) continue;
    const inner = unclosed(node[name] as OrderedNode[]);
    if (inner) return inner;
    return (node as unknown as Record<symbol, NodeOffsets>)[OFFSETS]?.endIndex === undefined ? node : undefined;
  }
  return undefined;
}

function elementName(node: OrderedNode): string | undefined {
  return Object.keys(node).find((key) => key !== ATTRIBUTES && key !== TEXT && key !== CDATA && !key.startsWith('?'));
}

function toElement(node: OrderedNode, name: string, lines: LineIndex, file: string): XmlElement {
  const offsets = (node as unknown as Record<symbol, NodeOffsets>)[OFFSETS];
  const line = lines.lineOf(offsets?.startIndex ?? 0);
  const attributes = new Map<string, string>();
  for (const [key, value] of Object.entries(node[ATTRIBUTES] ?? {})) attributes.set(key, decode(value, file, line));
  const children: XmlElement[] = [];
  let text = '';
  for (const child of node[name] as OrderedNode[]) {
    if (typeof child[TEXT] === 'string') text += decode(child[TEXT], file, line);
    else if (Array.isArray(child[CDATA])) text += (child[CDATA] as OrderedNode[]).map((c) => String(c[TEXT] ?? '')).join('');
    else {
      const childName = elementName(child);
      if (childName !== undefined) children.push(toElement(child, childName, lines, file));
    }
  }
  const colon = name.indexOf(':');
  return { name, local: colon < 0 ? name : name.slice(colon + 1), attributes, children, text, line };
}

/** The parser's own errors (it checks less than the validator, but throws on some input the validator passes). */
function parseOrdered(text: string, file: string, line: number): OrderedNode[] {
  try {
    return parser.parse(text) as OrderedNode[];
  } catch (error) {
    return fail(file, line, error instanceof Error ? error.message : String(error));
  }
}

export function parseXml(text: string, file: string): XmlElement {
  const lines = new LineIndex(text);
  const withoutComments = text.replace(/<!--[\s\S]*?-->/g, (c) => c.replace(/[^\n]/g, ' '));
  const doctype = withoutComments.search(/<!DOCTYPE/i);
  if (doctype >= 0) fail(file, lines.lineOf(doctype), 'a DOCTYPE is not accepted (it could declare entities)');
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const open = valid.err.code === 'InvalidXml' ? unclosed(parseOrdered(text, file, valid.err.line)) : undefined;
    if (open) {
      const name = elementName(open)!;
      const opened = lines.lineOf((open as unknown as Record<symbol, NodeOffsets>)[OFFSETS]?.startIndex ?? 0);
      fail(file, lines.lines, `<${name}> (line ${opened}) is never closed — the file may be truncated`);
    }
    fail(file, valid.err.line, valid.err.msg);
  }
  const top = parseOrdered(text, file, 1).flatMap((node) => {
    const name = elementName(node);
    return name === undefined ? [] : [{ node, name }];
  });
  if (top.length === 0) fail(file, 1, 'expected the root element');
  if (top.length > 1)
    fail(
      file,
      lines.lineOf((top[1]!.node as unknown as Record<symbol, NodeOffsets>)[OFFSETS]?.startIndex ?? 0),
      'content after the end of the root element',
    );
  return toElement(top[0]!.node, top[0]!.name, lines, file);
}
