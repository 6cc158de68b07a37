/**
 * Just enough XML for GraphML, without a package: escaping for the writers and a small
 * strict reader (elements, attributes, text, CDATA, comments, processing instructions, the
 * five predefined entities and numeric character references). A DOCTYPE, an unknown entity,
 * a mismatched closing tag or anything after the root element is an error that names the
 * file and line, so a truncated or corrupted file is never half-read.
 */
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

const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;

class XmlReader {
  private pos = 0;
  private line = 1;

  constructor(
    private readonly src: string,
    private readonly file: string,
  ) {}

  fail(message: string, line = this.line): never {
    throw new DagflowError('BAD_GRAPH', `line ${line}: ${message}`, { file: this.file, row: line }, 'the file is not well-formed XML');
  }

  private advance(n: number): void {
    for (let k = 0; k < n; k++) if (this.src.charCodeAt(this.pos + k) === 10) this.line++;
    this.pos += n;
  }

  private startsWith(s: string): boolean {
    return this.src.startsWith(s, this.pos);
  }

  private skipSpace(): void {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos]!)) this.advance(1);
  }

  private skipUntil(end: string, what: string): void {
    const at = this.src.indexOf(end, this.pos);
    if (at < 0) this.fail(`unterminated ${what}`);
    this.advance(at + end.length - this.pos);
  }

  private name(): string {
    NAME.lastIndex = this.pos;
    const m = NAME.exec(this.src);
    if (!m) this.fail(`expected a name, found "${this.src.slice(this.pos, this.pos + 10)}"`);
    this.advance(m[0].length);
    return m[0];
  }

  private decode(raw: string, line: number): string {
    return raw.replace(/&([^;\s]*);?/g, (all, ref: string) => {
      if (!all.endsWith(';')) this.fail(`"&" must start an entity such as &amp;`, line);
      switch (ref) {
        case 'lt':
          return '<';
        case 'gt':
          return '>';
        case 'amp':
          return '&';
        case 'quot':
          return '"';
        case 'apos':
          return "'";
      }
      const code = /^#x[0-9a-fA-F]+$/.test(ref) ? parseInt(ref.slice(2), 16) : /^#[0-9]+$/.test(ref) ? parseInt(ref.slice(1), 10) : NaN;
      if (!Number.isFinite(code) || code > 0x10ffff) this.fail(`unknown entity "&${ref};"`, line);
      return String.fromCodePoint(code);
    });
  }

  /** Comments, processing instructions and white space between markup. */
  private skipMisc(): void {
    for (;;) {
      this.skipSpace();
      if (this.startsWith('<!--')) this.skipUntil('-->', 'comment');
      else if (this.startsWith('<?')) this.skipUntil('?>', 'processing instruction');
      else if (this.startsWith('<!DOCTYPE')) this.fail('a DOCTYPE is not accepted (GraphML does not use one)');
      else return;
    }
  }

  document(): XmlElement {
    if (this.src.charCodeAt(0) === 0xfeff) this.pos = 1;
    this.skipMisc();
    if (!this.startsWith('<')) this.fail('expected the root element');
    const root = this.element();
    this.skipMisc();
    if (this.pos < this.src.length) this.fail('content after the end of the root element');
    return root;
  }

  private element(): XmlElement {
    const line = this.line;
    this.advance(1); // <
    const name = this.name();
    const attributes = new Map<string, string>();
    for (;;) {
      const before = this.pos;
      this.skipSpace();
      if (this.startsWith('/>')) {
        this.advance(2);
        return { name, local: localName(name), attributes, children: [], text: '', line };
      }
      if (this.startsWith('>')) {
        this.advance(1);
        break;
      }
      if (this.pos === before) this.fail(`expected white space, ">" or "/>" in <${name}>`);
      const attrLine = this.line;
      const attr = this.name();
      this.skipSpace();
      if (!this.startsWith('=')) this.fail(`attribute "${attr}" needs a value`);
      this.advance(1);
      this.skipSpace();
      const quote = this.src[this.pos];
      if (quote !== '"' && quote !== "'") this.fail(`the value of "${attr}" must be quoted`);
      const end = this.src.indexOf(quote, this.pos + 1);
      if (end < 0) this.fail(`unterminated value of "${attr}"`);
      const raw = this.src.slice(this.pos + 1, end);
      if (raw.includes('<')) this.fail(`"<" inside the value of "${attr}"`, attrLine);
      if (attributes.has(attr)) this.fail(`attribute "${attr}" given twice`, attrLine);
      attributes.set(attr, this.decode(raw, attrLine));
      this.advance(end + 1 - this.pos);
    }
    const children: XmlElement[] = [];
    let text = '';
    for (;;) {
      if (this.pos >= this.src.length) this.fail(`<${name}> (line ${line}) is never closed — the file may be truncated`);
      if (this.startsWith('</')) {
        this.advance(2);
        const closing = this.name();
        if (closing !== name) this.fail(`</${closing}> closes <${name}> opened on line ${line}`);
        this.skipSpace();
        if (!this.startsWith('>')) this.fail(`expected ">" after </${closing}`);
        this.advance(1);
        return { name, local: localName(name), attributes, children, text, line };
      }
      if (this.startsWith('<!--')) this.skipUntil('-->', 'comment');
      else if (this.startsWith('<![CDATA[')) {
        const end = this.src.indexOf(']]>', this.pos);
        if (end < 0) this.fail('unterminated CDATA section');
        text += this.src.slice(this.pos + 9, end);
        this.advance(end + 3 - this.pos);
      } else if (this.startsWith('<?')) this.skipUntil('?>', 'processing instruction');
      else if (this.startsWith('<')) children.push(this.element());
      else {
        const next = this.src.indexOf('<', this.pos);
        const end = next < 0 ? this.src.length : next;
        const textLine = this.line;
        text += this.decode(this.src.slice(this.pos, end), textLine);
        this.advance(end - this.pos);
      }
    }
  }
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

export function parseXml(text: string, file: string): XmlElement {
  return new XmlReader(text, file).document();
}
