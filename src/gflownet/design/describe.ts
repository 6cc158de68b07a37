/**
 * "What we would learn", one sentence per candidate target, from the numbers of a design
 * result (the command line and the window print the same sentence).
 */
import type { DesignResult, TargetGain } from './gain.ts';
import type { PooledData } from './pool.ts';
import type { DesignQuery } from './query.ts';

const f3 = (x: number): string => x.toFixed(3);

/** The query in words, with variable names. */
export function queryText(query: DesignQuery, columns: readonly string[]): string {
  if (query.kind === 'edges') return 'all edges';
  if (query.kind === 'edge') return `the edge between ${columns[query.from]} and ${columns[query.to]} (presence and direction)`;
  return `whether ${columns[query.cause]} affects ${columns[query.effect]} (a directed path)`;
}

export function describeGain(result: DesignResult, gain: TargetGain, columns: readonly string[]): string {
  const name = (k: number): string => columns[k] ?? `#${k}`;
  const q = result.query;
  const share = result.priorUncertainty > 0 ? (100 * gain.expectedGain) / result.priorUncertainty : 0;
  const head = `do(${name(gain.target)}) with ${result.rows} rows`;
  // An estimate within two standard errors of 0 is not a measured gain (its true value is ≥ 0).
  const measured = gain.expectedGain >= 2 * gain.standardError;
  const amount = measured
    ? `would remove ${f3(gain.expectedGain)} ± ${f3(gain.standardError)} of the ${f3(result.priorUncertainty)} nats (${share.toFixed(0)} %)`
    : `would remove no measurable part (${f3(gain.expectedGain)} ± ${f3(gain.standardError)}) of the ${f3(result.priorUncertainty)} nats`;
  const unclear = measured ? '' : '; not distinguishable from no gain at this Monte Carlo precision';
  const p = result.probabilitiesBefore;
  let what: string;
  if (q.kind === 'edges') {
    const pair = gain.mainPair;
    what = `${amount} of uncertainty about the edges${measured && pair && pair.gain > 0 ? `, most of it about ${name(pair.a)}–${name(pair.b)} (${f3(pair.gain)} nats)` : ''}`;
  } else if (q.kind === 'edge') {
    const none = Math.max(0, 1 - p[0]! - p[1]!);
    what = `${amount} of uncertainty about ${name(q.from)}–${name(q.to)} (now P(${name(q.from)} → ${name(q.to)}) = ${f3(p[0]!)}, P(${name(q.to)} → ${name(q.from)}) = ${f3(p[1]!)}, no edge ${f3(none)})`;
  } else {
    what = `${amount} of uncertainty about whether ${name(q.cause)} affects ${name(q.effect)} (now P(${name(q.cause)} ⇝ ${name(q.effect)}) = ${f3(p[0]!)})`;
  }
  const ess =
    gain.meanEffectiveSamples !== undefined && gain.meanEffectiveSamples < 50
      ? ` (only ${gain.meanEffectiveSamples.toFixed(0)} effective samples are left after re-weighting: rerun on more samples for a sharper answer)`
      : '';
  return `${head} ${what}${unclear}${ess}.`;
}

/** One line per kind of new row: "50 rows under do(X2), 10 observational". */
export function describeNewRows(p: PooledData): string {
  const parts = p.newTargets.perVariable.flatMap((n, j) => (n > 0 ? [`${n} rows under do(${p.columns[j]})`] : []));
  if (p.newTargets.observational > 0) parts.push(`${p.newTargets.observational} observational rows`);
  return `${p.newRows} new rows (${parts.join(', ')}) pooled with the ${p.oldRows} rows of the data`;
}
