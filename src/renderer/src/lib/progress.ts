/**
 * Progress events arrive as whatever each job kind reports; this reads the fields the Run
 * screen knows how to show (fraction done, ETA, steps per second, loss, log score) by name.
 */
export interface ProgressSample {
  /** Receipt time, ms. */
  at: number;
  fraction?: number;
  etaSeconds?: number;
  stepsPerSecond?: number;
  phase?: string;
  iteration?: number;
  loss?: number;
  logScore?: number;
  /** The job's current edge-marginal estimate, d·d (typed arrays arrive as index-keyed objects over JSON). */
  edgeMarginals?: number[];
}

function numberArray(value: unknown): number[] | undefined {
  if (Array.isArray(value)) return value.every((v) => typeof v === 'number') ? (value as number[]) : undefined;
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
  if (typeof value === 'object' && value !== null) {
    const entries = Object.values(value as Record<string, unknown>);
    return entries.length > 0 && entries.every((v) => typeof v === 'number') ? (entries as number[]) : undefined;
  }
  return undefined;
}

function pickNumber(o: Record<string, unknown>, names: string[]): number | undefined {
  for (const n of names) {
    const v = o[n];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return undefined;
}

export function readProgress(raw: unknown): ProgressSample {
  const sample: ProgressSample = { at: Date.now() };
  if (typeof raw !== 'object' || raw === null) return sample;
  const o = raw as Record<string, unknown>;
  const done = pickNumber(o, ['done', 'iteration', 'step', 'sampled', 'statesEvaluated', 'bytesRead']);
  const total = pickNumber(o, ['total', 'iterations', 'totalIterations', 'states', 'totalBytes']);
  const fraction = pickNumber(o, ['fraction', 'progress']);
  const elapsed = pickNumber(o, ['elapsedSeconds']);
  const eta = pickNumber(o, ['etaSeconds', 'eta']);
  let byCount: number | undefined;
  if (fraction !== undefined) byCount = fraction;
  else if (done !== undefined && total !== undefined && total > 0) byCount = done / total;
  // With a time limit as well as an iteration budget, whichever ends first sets the pace.
  const byTime = elapsed !== undefined && eta !== undefined && elapsed + eta > 0 ? elapsed / (elapsed + eta) : undefined;
  const best = byCount !== undefined && byTime !== undefined ? Math.max(byCount, byTime) : (byCount ?? byTime);
  if (best !== undefined) sample.fraction = Math.min(1, Math.max(0, best));
  sample.iteration = pickNumber(o, ['iteration', 'step']);
  sample.etaSeconds = pickNumber(o, ['etaSeconds', 'eta']);
  sample.stepsPerSecond = pickNumber(o, ['stepsPerSecond', 'iterationsPerSecond', 'itersPerSecond']);
  sample.loss = pickNumber(o, ['loss', 'lossAverage', 'lossMovingAverage']);
  sample.logScore = pickNumber(o, ['logScore', 'currentLogScore']);
  if (typeof o.phase === 'string') sample.phase = o.phase;
  const marginals = numberArray(o.edgeMarginals);
  if (marginals && Number.isInteger(Math.sqrt(marginals.length))) sample.edgeMarginals = marginals;
  return sample;
}
