/**
 * Graphviz DOT output (read by `dot`, networkx/pydot, Gephi, bnlearn via Rgraphviz users).
 * The subset written is small and fixed so that it can be checked line by line:
 *
 *   // comment lines
 *   digraph "dagflow" {
 *     graph [rankdir="TB", label="…"];
 *     node [shape="ellipse"];
 *     "A";                                 one line per node, column order
 *     "A" -> "B" [probability=0.93, label="0.93", penwidth=2.86];   one line per edge
 *   }
 *
 * Every id is a double-quoted string; inside it `"` is written `\"`, a backslash `\\` and a
 * line break `\n` (dotReader.ts undoes exactly this).
 */
import { formatNumber, type ExportGraph } from './graph.ts';

export function quoteDotId(name: string): string {
  return `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
}

/** Line width grows with the probability: 1 at p = 0, 4 at p = 1. */
function penWidth(p: number): string {
  return formatNumber(1 + 3 * p, 2);
}

export function writeDot(graph: ExportGraph): string {
  const lines: string[] = [];
  lines.push('// written by DAGFlow');
  if (graph.threshold !== undefined) lines.push(`// consensus graph: edges with posterior probability >= ${formatNumber(graph.threshold)}`);
  lines.push('digraph "dagflow" {');
  const title = graph.title ?? (graph.threshold !== undefined ? `consensus at ${formatNumber(graph.threshold)}` : undefined);
  lines.push(title === undefined ? '  graph [rankdir="TB"];' : `  graph [rankdir="TB", label=${quoteDotId(title)}];`);
  lines.push('  node [shape="ellipse"];');
  for (const name of graph.nodes) lines.push(`  ${quoteDotId(name)};`);
  for (const e of graph.edges) {
    const edge = `  ${quoteDotId(e.from)} -> ${quoteDotId(e.to)}`;
    if (e.probability === undefined) lines.push(`${edge};`);
    else {
      const p = formatNumber(e.probability);
      lines.push(`${edge} [probability=${p}, label="${formatNumber(e.probability, 2)}", penwidth=${penWidth(e.probability)}];`);
    }
  }
  lines.push('}', '');
  return lines.join('\n');
}
