/**
 * Nesting depth of a text before it is parsed. The session validator, the DOT parser and the
 * XML reader descend recursively, so a file nested tens of thousands of levels deep (a session
 * 50 k deep, DOT with 100 k nested braces, GraphML 200 k elements deep) blew the stack:
 * "Maximum call stack size exceeded". One linear scan here finds the first place that goes
 * deeper than any real file does, with its line, before the parser runs.
 */

/** No DAGFlow file comes near this (sessions: about 10 levels; GraphML: 5; DOT: a few subgraphs). */
export const MAX_NESTING_DEPTH = 1000;

export interface TooDeep {
  /** 1-based line of the opening that went past the bound. */
  line: number;
  depth: number;
}

/**
 * Where a text that opens with `opens` and closes with `closes` first goes deeper than `max`,
 * ignoring anything inside double-quoted strings (with backslash escapes: JSON and DOT), or null.
 */
export function bracketsTooDeep(text: string, opens: string, closes: string, max = MAX_NESTING_DEPTH): TooDeep | null {
  let depth = 0;
  let line = 1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') line++;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (opens.includes(c)) {
      if (++depth > max) return { line, depth };
    } else if (closes.includes(c)) depth = Math.max(0, depth - 1);
  }
  return null;
}

/**
 * Where an XML text first nests elements deeper than `max`, or null. Comments, CDATA, processing
 * instructions and declarations are skipped, and quoted attribute values may hold `>`.
 */
export function xmlTooDeep(text: string, max = MAX_NESTING_DEPTH): TooDeep | null {
  let depth = 0;
  let line = 1;
  const skipTo = (from: number, end: string): number => {
    const at = text.indexOf(end, from);
    const stop = at < 0 ? text.length : at + end.length;
    for (let k = from; k < stop; k++) if (text.charCodeAt(k) === 10) line++;
    return stop - 1;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') {
      line++;
      continue;
    }
    if (c !== '<') continue;
    if (text.startsWith('<!--', i)) i = skipTo(i, '-->');
    else if (text.startsWith('<![CDATA[', i)) i = skipTo(i, ']]>');
    else if (text[i + 1] === '?' || text[i + 1] === '!') i = skipTo(i, '>');
    else if (text[i + 1] === '/') {
      depth = Math.max(0, depth - 1);
      i = skipTo(i, '>');
    } else {
      const openedOn = line;
      let quote = '';
      let k = i + 1;
      for (; k < text.length; k++) {
        const t = text[k]!;
        if (t === '\n') line++;
        if (quote) {
          if (t === quote) quote = '';
        } else if (t === '"' || t === "'") quote = t;
        else if (t === '>') break;
      }
      const selfClosing = text[k - 1] === '/';
      i = k;
      if (!selfClosing && ++depth > max) return { line: openedOn, depth };
    }
  }
  return null;
}
