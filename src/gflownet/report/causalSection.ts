/**
 * The report's "Causal answers" section (docs/answers.md): the most probable directed paths with
 * their standard errors and, when the run's data are available, the causal effect of do(cause)
 * on the effect for those pairs, averaged over the posterior. Plain HTML tables, no scripts,
 * like the rest of the report.
 */
import { structuralFeatures } from '../causal/features.ts';
import { DagflowError } from '../core/errors.ts';
import { runPosterior } from '../causal/runPosterior.ts';
import { pairEffects, type ExportProblem } from '../export/causalEffects.ts';
import type { RunResults } from '../export/runDirectory.ts';
import { formatNumber } from '../graphio/graph.ts';
import { escapeXml as html } from '../graphio/xml.ts';

/** Pairs listed: the most probable directed paths (the effects of unlikely paths are ~0 anyway). */
const PAIRS = 12;

const pm = (p: number, se: number | undefined, digits = 3): string =>
  se === undefined ? formatNumber(p, digits) : `${formatNumber(p, digits)} ± ${formatNumber(se, digits)}`;

function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const th = `<tr>${header.map((h) => `<th>${html(h)}</th>`).join('')}</tr>`;
  return `<table>\n${th}\n${rows.map((r) => `<tr>${r.map((c) => `<td>${html(c)}</td>`).join('')}</tr>`).join('\n')}\n</table>`;
}

/** The section, or a one-line note saying why it is missing: an optional section never stops the report. */
export function causalSection(run: RunResults, problem: ExportProblem | undefined): string {
  if (!run.samples || run.samples.length === 0) return '';
  try {
    return answersSection(run, problem);
  } catch (e) {
    if (!(e instanceof DagflowError)) throw e;
    return `<h2>Causal answers</h2>\n<p class="warning">Not available for this run: ${html(e.message)}</p>`;
  }
}

function answersSection(run: RunResults, problem: ExportProblem | undefined): string {
  const { posterior } = runPosterior(run, 'the report');
  const f = structuralFeatures(posterior);
  const d = run.columns.length;
  const se = f.standardErrors;
  const pairs = Array.from({ length: d * d }, (_, k): [number, number] => [Math.floor(k / d), k % d])
    .filter(([i, j]) => i !== j && f.path[i * d + j]! > 0)
    .sort((a, b) => f.path[b[0] * d + b[1]]! - f.path[a[0] * d + a[1]]! || a[0] - b[0] || a[1] - b[1])
    .slice(0, PAIRS);
  const name = (k: number) => run.columns[k]!;
  const intro = `<p>Posterior probabilities with Monte Carlo standard errors (${posterior.kind === 'chains' ? 'batch means over the MCMC chains' : 'independent draws'}). P(path) is the probability that the cause can affect the effect at all; without a directed path do(cause) leaves the effect unchanged.</p>`;
  const rows = pairs.map(([i, j]) => [
    `${name(i)} ⇝ ${name(j)}`,
    pm(f.edge[i * d + j]!, se?.edge[i * d + j]),
    pm(f.path[i * d + j]!, se?.path[i * d + j]),
  ]);
  if (!problem || pairs.length === 0) {
    const note = problem ? '' : "<p>Effects need the run's data, which this export did not have.</p>";
    return `<h2>Causal answers</h2>\n${intro}\n${table(['pair', 'P(edge)', 'P(directed path)'], rows)}\n${note}`;
  }
  const effects = pairEffects(posterior, problem, pairs);
  if (effects.kind === 'continuous') {
    const units = effects.standardized ? 'standard deviations of the effect per standard deviation of the cause' : 'units per unit';
    const full = effects.pairs.map((e, k) => [
      ...rows[k]!,
      pm(e.mean, e.standardErrors?.mean),
      `[${formatNumber(e.interval[0], 3)}, ${formatNumber(e.interval[1], 3)}]`,
      `${formatNumber(e.structuralSd, 3)} / ${formatNumber(e.parameterSd, 3)}`,
    ]);
    return `<h2>Causal answers</h2>\n${intro}\n<p>Total effect of do(cause) on the effect, averaged over the posterior, in ${html(units)}; the 95 % interval covers structure and coefficients.</p>\n${table(
      ['pair', 'P(edge)', 'P(directed path)', 'mean effect', '95 % interval', 'sd: structural / coefficients'],
      full,
    )}`;
  }
  const full = effects.pairs.map((e, k) => {
    const ry = e.effectLevels.length;
    const dist = e.causeLevels
      .map(
        (x, xi) =>
          `do(${x}): ${e.cells
            .slice(xi * ry, (xi + 1) * ry)
            .map((c) => `${c.y} ${formatNumber(c.mean, 3)}`)
            .join(', ')}`,
      )
      .join('; ');
    return [...rows[k]!, dist];
  });
  return `<h2>Causal answers</h2>\n${intro}\n<p>P(effect = level | do(cause = x)) averaged over the posterior (posterior-mean tables per DAG).</p>\n${table(
    ['pair', 'P(edge)', 'P(directed path)', 'interventional distributions'],
    full,
  )}`;
}
