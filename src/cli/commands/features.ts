/**
 * `dagflow features`: structural features of the posterior over DAGs for every pair —
 * P(edge), P(directed path), P(Markov blanket), P(adjacent) and the v-structures — exact for
 * the enumerated posterior, with standard errors for a sampled run. docs/answers.md explains
 * the numbers.
 */
import { structuralFeatures } from '../../gflownet/causal/features.ts';
import type { CliCommand } from '../command.ts';
import { formatHelp, parseFlags } from '../flags.ts';
import { loadPosteriorSource, sourceFlags, type PosteriorSource } from '../posteriorSource.ts';
import { describeSource, sourceJson, toMatrix } from '../answersText.ts';

const flags = {
  ...sourceFlags,
  json: {
    type: 'boolean',
    help: 'print one JSON object: {columns, edge, path, markovBlanket, adjacent, vStructures, standardErrors (sampled only), source, whatIf}',
  },
} as const;

const summary = 'posterior probabilities of edges, directed paths, Markov blankets, adjacencies and v-structures, with standard errors';

export interface FeaturesJson {
  columns: string[];
  source: ReturnType<typeof sourceJson>;
  /** [i][j]: row = from, column = to. */
  edge: number[][];
  path: number[][];
  markovBlanket: number[][];
  adjacent: number[][];
  vStructures: Array<{ parents: [string, string]; child: string; probability: number; standardError?: number }>;
  standardErrors?: { edge: number[][]; path: number[][]; markovBlanket: number[][]; adjacent: number[][] };
  whatIf?: PosteriorSource['whatIf'];
}

export const command: CliCommand = {
  name: 'features',
  summary,
  help: formatHelp(
    'dagflow features (--run DIR | --data FILE [score flags] [--prior P] --exact) [--forbid EDGES.csv] [--require EDGES.csv] [--tiers FILE.csv] [--max-parents K] [--edge-belief FILE.csv] [--json]',
    summary,
    flags,
  ),
  async run(argv, io) {
    const opts = parseFlags(argv, flags);
    const source = await loadPosteriorSource(opts, argv);
    const { columns } = source;
    const d = columns.length;
    const f = structuralFeatures(source.posterior);
    const out: FeaturesJson = {
      columns,
      source: sourceJson(source),
      edge: toMatrix(f.edge, d),
      path: toMatrix(f.path, d),
      markovBlanket: toMatrix(f.markovBlanket, d),
      adjacent: toMatrix(f.adjacent, d),
      vStructures: f.vStructures.map((v) => ({
        parents: [columns[v.parents[0]]!, columns[v.parents[1]]!],
        child: columns[v.collider]!,
        probability: v.probability,
        ...(v.standardError !== undefined ? { standardError: v.standardError } : {}),
      })),
      ...(f.standardErrors
        ? {
            standardErrors: {
              edge: toMatrix(f.standardErrors.edge, d),
              path: toMatrix(f.standardErrors.path, d),
              markovBlanket: toMatrix(f.standardErrors.markovBlanket, d),
              adjacent: toMatrix(f.standardErrors.adjacent, d),
            },
          }
        : {}),
      ...(source.whatIf ? { whatIf: source.whatIf } : {}),
    };
    if (opts.json) {
      io.stdout(JSON.stringify(out));
      return 0;
    }
    const lines = [describeSource(source)];
    const table = (title: string, m: number[][], se?: number[][]): void => {
      const cell = (i: number, j: number): string =>
        i === j ? '—' : se ? `${m[i]![j]!.toFixed(2)}±${se[i]![j]!.toFixed(2)}` : m[i]![j]!.toFixed(3);
      const width = Math.max(se ? 9 : 5, ...columns.map((c) => c.length));
      lines.push('', title, `${''.padEnd(width)} ${columns.map((c) => c.padStart(width)).join(' ')}`);
      for (let i = 0; i < d; i++) lines.push(`${columns[i]!.padEnd(width)} ${columns.map((_, j) => cell(i, j).padStart(width)).join(' ')}`);
    };
    table('P(row → column), edge:', out.edge, out.standardErrors?.edge);
    table('P(row ⇝ column), directed path (row can cause column):', out.path, out.standardErrors?.path);
    table('P(row in the Markov blanket of column):', out.markovBlanket, out.standardErrors?.markovBlanket);
    const top = out.vStructures.slice(0, 10);
    lines.push(
      '',
      top.length === 0 ? 'no v-structure has positive probability' : `most probable v-structures (of ${out.vStructures.length}):`,
    );
    for (const v of top)
      lines.push(
        `  ${v.parents[0]} → ${v.child} ← ${v.parents[1]}   ${v.probability.toFixed(3)}${v.standardError !== undefined ? ` ± ${v.standardError.toFixed(3)}` : ''}`,
      );
    io.stdout(lines.join('\n'));
    return 0;
  },
};
