/**
 * A reader for the DOT language (https://graphviz.org/doc/info/lang.html), enough for the
 * graphs other tools write: `[strict] digraph [id] { … }` with node, edge and attribute
 * statements, edge chains (a -> b -> c), subgraphs and anonymous `{ … }` groups as edge
 * operands, ports (ignored), quoted strings with `+` concatenation, HTML strings, numerals,
 * and the three comment styles. Attributes are read and dropped: only the structure counts.
 * An undirected graph is refused (a DAG needs directions).
 *
 * Kept rather than @ts-graphviz/ast (3.0.6, tried for issue 13): that parser refuses the
 * `"Lo" + "ng"` concatenation of the DOT grammar and takes the keyword `node` as a node id,
 * so it fails this reader's corpus (test/unit/formats/imports.test.ts).
 */
import { DagflowError } from '../core/errors.ts';
import { bracketsTooDeep, MAX_NESTING_DEPTH } from '../io/nesting.ts';
import type { ParsedGraph } from './parsedGraph.ts';

interface Token {
  kind: 'id' | 'punct' | 'edgeop' | 'end';
  text: string;
  /** Keywords are only recognised in unquoted ids. */
  quoted: boolean;
  line: number;
}

function fail(file: string, line: number, message: string): never {
  throw new DagflowError('BAD_GRAPH', `line ${line}: ${message}`, { file, row: line }, 'check the DOT syntax');
}

function unescapeQuoted(raw: string): string {
  return raw.replace(/\\(\r?\n|.)/g, (_all, c: string) =>
    c === '"' ? '"' : c === '\\' ? '\\' : c === 'n' ? '\n' : c.startsWith('\n') || c.startsWith('\r') ? '' : `\\${c}`,
  );
}

export function tokenizeDot(src: string, file: string): Token[] {
  const tokens: Token[] = [];
  let i = src.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let lineStart = true;
  let joinNext = false;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\n') {
      line++;
      i++;
      lineStart = true;
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (lineStart && c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    lineStart = false;
    if (src.startsWith('//', i)) {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (src.startsWith('/*', i)) {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) fail(file, line, 'unterminated /* comment');
      for (let k = i; k < end; k++) if (src[k] === '\n') line++;
      i = end + 2;
      continue;
    }
    if (joinNext && c !== '"') fail(file, line, '"+" must be followed by a quoted string');
    if (src.startsWith('->', i) || src.startsWith('--', i)) {
      tokens.push({ kind: 'edgeop', text: src.slice(i, i + 2), quoted: false, line });
      i += 2;
      continue;
    }
    if ('{}[];,=:'.includes(c)) {
      tokens.push({ kind: 'punct', text: c, quoted: false, line });
      i++;
      continue;
    }
    if (c === '"') {
      const startLine = line;
      let j = i + 1;
      while (j < src.length && src[j] !== '"') {
        if (src[j] === '\\') j++;
        if (src[j] === '\n') line++;
        j++;
      }
      if (j >= src.length) fail(file, startLine, 'unterminated quoted string');
      const text = unescapeQuoted(src.slice(i + 1, j));
      i = j + 1;
      if (joinNext)
        tokens[tokens.length - 1]!.text += text; // "a" + "b"
      else tokens.push({ kind: 'id', text, quoted: true, line: startLine });
      joinNext = false;
      continue;
    }
    if (c === '+') {
      const previous = tokens[tokens.length - 1];
      if (!previous || previous.kind !== 'id' || !previous.quoted) fail(file, line, '"+" may only join quoted strings');
      joinNext = true;
      i++;
      continue;
    }
    if (c === '<') {
      const startLine = line;
      let depth = 0;
      let j = i;
      do {
        if (src[j] === '<') depth++;
        else if (src[j] === '>') depth--;
        else if (src[j] === '\n') line++;
        j++;
      } while (j < src.length && depth > 0);
      if (depth > 0) fail(file, startLine, 'unterminated HTML string');
      tokens.push({ kind: 'id', text: src.slice(i + 1, j - 1), quoted: true, line: startLine });
      i = j;
      continue;
    }
    const m = /^(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*|-?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?))/.exec(src.slice(i, i + 256));
    if (!m) fail(file, line, `unexpected character "${c}"`);
    tokens.push({ kind: 'id', text: m[0], quoted: false, line });
    i += m[0].length;
  }
  if (joinNext) fail(file, line, '"+" must be followed by a quoted string');
  tokens.push({ kind: 'end', text: '', quoted: false, line });
  return tokens;
}

class DotParser {
  private k = 0;
  readonly graph: ParsedGraph;
  private readonly declared = new Set<string>();

  constructor(
    private readonly tokens: Token[],
    private readonly file: string,
  ) {
    this.graph = { file, format: 'dot', nodes: [], edges: [] };
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.k + offset, this.tokens.length - 1)]!;
  }

  private next(): Token {
    return this.tokens[Math.min(this.k++, this.tokens.length - 1)]!;
  }

  private isKeyword(t: Token, word: string): boolean {
    return t.kind === 'id' && !t.quoted && t.text.toLowerCase() === word;
  }

  private isPunct(t: Token, p: string): boolean {
    return t.kind === 'punct' && t.text === p;
  }

  private expectPunct(p: string): Token {
    const t = this.next();
    if (!this.isPunct(t, p)) fail(this.file, t.line, `expected "${p}", found ${t.kind === 'end' ? 'the end of the file' : `"${t.text}"`}`);
    return t;
  }

  private declare(name: string, line: number): void {
    if (this.declared.has(name)) return;
    this.declared.add(name);
    this.graph.nodes.push({ name, line });
  }

  parse(): ParsedGraph {
    if (this.isKeyword(this.peek(), 'strict')) this.next();
    const kind = this.next();
    if (this.isKeyword(kind, 'graph')) fail(this.file, kind.line, 'this is an undirected graph; a DAG needs "digraph" and "->" edges');
    if (!this.isKeyword(kind, 'digraph')) fail(this.file, kind.line, `expected "digraph", found "${kind.text}"`);
    if (this.peek().kind === 'id') this.next();
    this.expectPunct('{');
    this.statements();
    this.expectPunct('}');
    const rest = this.peek();
    if (rest.kind !== 'end') fail(this.file, rest.line, 'only one graph per file is supported');
    return this.graph;
  }

  /** Statements up to (not including) the closing brace; returns the nodes they mention. */
  private statements(): Set<string> {
    const mentioned = new Set<string>();
    for (;;) {
      const t = this.peek();
      if (this.isPunct(t, '}') || t.kind === 'end') return mentioned;
      for (const n of this.statement()) mentioned.add(n);
      if (this.isPunct(this.peek(), ';')) this.next();
    }
  }

  private statement(): Set<string> {
    const t = this.peek();
    if ((this.isKeyword(t, 'graph') || this.isKeyword(t, 'node') || this.isKeyword(t, 'edge')) && this.isPunct(this.peek(1), '[')) {
      this.next();
      this.attributes();
      return new Set();
    }
    if (t.kind === 'id' && this.isPunct(this.peek(1), '=')) {
      this.next();
      this.next();
      const value = this.next();
      if (value.kind !== 'id') fail(this.file, value.line, `expected a value after "${t.text} ="`);
      return new Set();
    }
    let left = this.operand();
    const all = new Set(left.nodes);
    let op = this.peek();
    while (op.kind === 'edgeop') {
      this.next();
      if (op.text === '--') fail(this.file, op.line, 'undirected edge "--" in a digraph');
      const right = this.operand();
      for (const from of left.nodes) for (const to of right.nodes) this.graph.edges.push({ from, to, line: op.line });
      for (const n of right.nodes) all.add(n);
      left = right;
      op = this.peek();
    }
    if (this.isPunct(this.peek(), '[')) this.attributes();
    return all;
  }

  private operand(): { nodes: string[] } {
    const t = this.peek();
    if (this.isKeyword(t, 'subgraph') || this.isPunct(t, '{')) {
      if (this.isKeyword(t, 'subgraph')) {
        this.next();
        if (this.peek().kind === 'id') this.next();
      }
      this.expectPunct('{');
      const nodes = this.statements();
      this.expectPunct('}');
      return { nodes: [...nodes] };
    }
    const id = this.next();
    if (id.kind !== 'id') fail(this.file, id.line, `expected a node, found ${id.kind === 'end' ? 'the end of the file' : `"${id.text}"`}`);
    if (!id.quoted && ['node', 'edge', 'graph', 'digraph', 'strict'].includes(id.text.toLowerCase())) {
      fail(this.file, id.line, `"${id.text}" is a keyword; quote it to use it as a node name`);
    }
    // ports: a:port or a:port:compass
    while (this.isPunct(this.peek(), ':')) {
      this.next();
      const port = this.next();
      if (port.kind !== 'id') fail(this.file, port.line, 'expected a port name after ":"');
    }
    this.declare(id.text, id.line);
    return { nodes: [id.text] };
  }

  private attributes(): void {
    while (this.isPunct(this.peek(), '[')) {
      this.next();
      for (;;) {
        const t = this.next();
        if (this.isPunct(t, ']')) break;
        if (this.isPunct(t, ',') || this.isPunct(t, ';')) continue;
        if (t.kind !== 'id')
          fail(this.file, t.line, `expected an attribute name, found ${t.kind === 'end' ? 'the end of the file' : `"${t.text}"`}`);
        if (this.isPunct(this.peek(), '=')) {
          this.next();
          const v = this.next();
          if (v.kind !== 'id') fail(this.file, v.line, `expected a value for "${t.text}"`);
        }
      }
    }
  }
}

export function readDot(text: string, file: string): ParsedGraph {
  // The parser descends once per brace: bound the depth before it can exhaust the stack.
  const deep = bracketsTooDeep(text, '{', '}');
  if (deep)
    throw new DagflowError(
      'BAD_GRAPH',
      `line ${deep.line}: braces nested more than ${MAX_NESTING_DEPTH} levels deep`,
      { file, row: deep.line },
      'the file is damaged or not a DOT graph',
    );
  return new DotParser(tokenizeDot(text, file), file).parse();
}
