/**
 * Bad and large inputs made at run time in a temporary folder instead of being committed:
 * 10,000 columns, a stray text cell in row 48,211, a 200 MB file whose last row is ragged, and
 * the 1,000,000-row × 20-column CSV of the load benchmark. Values come from a seeded Rng, so
 * every file is the same byte for byte on every run.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { Rng } from '../../../../src/gflownet/core/rng.ts';

/** Writes lines in ~1 MB chunks so that a 200 MB file never sits in memory. */
function writeLines(file: string, lines: Iterable<string>): number {
  const fd = openSync(file, 'w');
  let bytes = 0;
  let buffer: string[] = [];
  let size = 0;
  const flush = (): void => {
    const chunk = buffer.join('');
    bytes += writeSync(fd, chunk);
    buffer = [];
    size = 0;
  };
  try {
    for (const line of lines) {
      buffer.push(line, '\n');
      size += line.length + 1;
      if (size > 1 << 20) flush();
    }
    flush();
  } finally {
    closeSync(fd);
  }
  return bytes;
}

function* numericRows(rng: Rng, columns: number, rows: number): Generator<string> {
  const cells = new Array<string>(columns);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) cells[c] = (rng.normal() * 10).toFixed(3);
    yield cells.join(',');
  }
}

const header = (columns: number, prefix = 'x'): string => Array.from({ length: columns }, (_, c) => `${prefix}${c + 1}`).join(',');

/** 10,000 numeric columns, 3 rows: more variables than the engine supports. */
export function wideCsv(dir: string, columns = 10_000): string {
  const file = path.join(dir, `wide-${columns}-columns.csv`);
  writeLines(file, [header(columns), ...numericRows(new Rng(10), columns, 3)]);
  return file;
}

/** 3 numeric columns; the cell of column x2 in spreadsheet row `row` (header = row 1) is "#REF!". */
export function strayCellCsv(dir: string, row = 48_211, rows = 50_000): string {
  const file = path.join(dir, `stray-cell-row-${row}.csv`);
  const rng = new Rng(11);
  function* lines(): Generator<string> {
    yield header(3);
    for (let r = 2; r <= rows + 1; r++) {
      const a = (rng.normal() * 10).toFixed(3);
      const b = r === row ? '#REF!' : (rng.normal() * 10).toFixed(3);
      yield `${a},${b},${(rng.normal() * 10).toFixed(3)}`;
    }
  }
  writeLines(file, lines());
  return file;
}

/** About `megabytes` MB of 20 numeric columns whose last row has one field too many. Returns the file and that row. */
export function raggedBigCsv(dir: string, megabytes = 200): { file: string; lastRow: number; bytes: number } {
  const file = path.join(dir, `ragged-${megabytes}mb.csv`);
  const columns = 20;
  const rng = new Rng(12);
  let lastRow = 1;
  let total = 0;
  function* lines(): Generator<string> {
    const h = header(columns);
    yield h;
    total += h.length + 1;
    const target = megabytes * 1024 * 1024;
    for (const line of numericRows(rng, columns, Number.MAX_SAFE_INTEGER)) {
      if (total + line.length + 1 >= target) break;
      yield line;
      total += line.length + 1;
      lastRow++;
    }
    lastRow++;
    yield `${'1.5,'.repeat(columns)}1.5`;
  }
  const bytes = writeLines(file, lines());
  return { file, lastRow, bytes };
}

/** `rows` × `columns` Gaussian values with a little linear structure (x_k depends on x_{k−1}). */
export function largeCsv(dir: string, rows = 1_000_000, columns = 20): { file: string; bytes: number } {
  const file = path.join(dir, `large-${rows}x${columns}.csv`);
  const rng = new Rng(13);
  function* lines(): Generator<string> {
    yield header(columns);
    const cells = new Array<string>(columns);
    for (let r = 0; r < rows; r++) {
      let previous = 0;
      for (let c = 0; c < columns; c++) {
        const v = 0.6 * previous + rng.normal();
        cells[c] = v.toFixed(4);
        previous = v;
      }
      yield cells.join(',');
    }
  }
  return { file, bytes: writeLines(file, lines()) };
}

/** An edge list whose second edge names a node `megabytes` MB long (issue 16: it was echoed whole, 52 MB on stderr, in 18 s). */
export function hugeNodeNameEdges(dir: string, megabytes = 50): string {
  const file = path.join(dir, `huge-node-name-${megabytes}mb.csv`);
  writeLines(file, ['from,to', 'A,B', `B,${'N'.repeat(megabytes * 1024 * 1024)}`]);
  return file;
}

/** A DOT graph whose edge names a node `megabytes` MB long. */
export function hugeNodeNameDot(dir: string, megabytes = 50): string {
  const file = path.join(dir, `huge-node-name-${megabytes}mb.dot`);
  writeLines(file, ['digraph {', '  A -> B;', `  B -> "${'N'.repeat(megabytes * 1024 * 1024)}";`, '}']);
  return file;
}

/** A symbolic link that points at itself: every path through it fails with ELOOP. */
export function symlinkLoop(dir: string): string {
  const link = path.join(dir, 'loop');
  symlinkSync(link, link);
  return link;
}

/** A named pipe that nobody writes to: opening it for reading would wait forever. */
export function namedPipe(dir: string): string {
  const fifo = path.join(dir, 'no-writer.csv');
  execFileSync('mkfifo', [fifo]);
  return fifo;
}

/** A session whose settings nest `depth` objects deep (50 k blew the validator's stack). */
export function deepSession(dir: string, depth = 50_000): string {
  const file = path.join(dir, `deep-${depth}.dagflow`);
  writeFileSync(
    file,
    `{"format":"dagflow-session","version":1,"data":null,"settings":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)},"runs":[],"views":{}}\n`,
  );
  return file;
}

/** A DOT graph with `depth` nested braces after one edge per line (100 k blew the parser's stack). */
export function deepDot(dir: string, depth = 100_000): string {
  const file = path.join(dir, `deep-${depth}.dot`);
  writeFileSync(file, `digraph {\n  A -> B;\n  ${'{'.repeat(depth)} C ${'}'.repeat(depth)}\n}\n`);
  return file;
}

/** GraphML with elements nested `depth` deep inside the graph (200 k blew the reader's stack). */
export function deepGraphml(dir: string, depth = 200_000): string {
  const file = path.join(dir, `deep-${depth}.graphml`);
  writeFileSync(
    file,
    `<?xml version="1.0"?>\n<graphml>\n<graph edgedefault="directed">\n${'<g>'.repeat(depth)}${'</g>'.repeat(depth)}\n</graph>\n</graphml>\n`,
  );
  return file;
}

/**
 * Every generated input of the corpus by the name its cases use (`generated:<name>` as a reader
 * input, `{generated:<name>}` in CLI arguments).
 */
export function generatedInputs(dir: string): Record<string, string> {
  return {
    'stray-cell-row-48211': strayCellCsv(dir),
    'wide-10000-columns': wideCsv(dir),
    'huge-node-name-edges-50mb': hugeNodeNameEdges(dir, 50),
    'huge-node-name-edges-1mb': hugeNodeNameEdges(dir, 1),
    'huge-node-name-dot-50mb': hugeNodeNameDot(dir, 50),
    'symlink-loop': symlinkLoop(dir),
    'named-pipe': namedPipe(dir),
    'deep-session': deepSession(dir),
    'deep-dot': deepDot(dir),
    'deep-graphml': deepGraphml(dir),
  };
}
