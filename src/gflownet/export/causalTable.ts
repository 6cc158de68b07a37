/**
 * The structural features of a sampled run as one CSV row per ordered pair (docs/answers.md):
 * from,to,edge,edge_se,path,path_se,markov_blanket,markov_blanket_se,adjacent,adjacent_se —
 * posterior probabilities with their Monte Carlo standard errors (binomial for independent
 * draws, batch means for MCMC chains, self-normalised for importance-weighted draws).
 */
import { structuralFeatures } from '../causal/features.ts';
import { runPosterior } from '../causal/runPosterior.ts';
import type { RunResults } from './runDirectory.ts';

function csvCell(text: string): string {
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

export function causalFeaturesCsv(run: RunResults): string {
  const { posterior } = runPosterior(run, 'causal-features');
  const f = structuralFeatures(posterior);
  const d = run.columns.length;
  const se = f.standardErrors;
  const lines = ['from,to,edge,edge_se,path,path_se,markov_blanket,markov_blanket_se,adjacent,adjacent_se'];
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      if (i === j) continue;
      const k = i * d + j;
      const cells = [f.edge, se?.edge, f.path, se?.path, f.markovBlanket, se?.markovBlanket, f.adjacent, se?.adjacent].map((m) =>
        m ? String(m[k]) : '',
      );
      lines.push([csvCell(run.columns[i]!), csvCell(run.columns[j]!), ...cells].join(','));
    }
  }
  return lines.join('\n') + '\n';
}
