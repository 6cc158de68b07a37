/**
 * What a screen keeps when the user switches to another tab and back (a screen's own state dies
 * with its component): the Compare screen's pair of runs, its true-graph choice and the last
 * comparison. The pair and the true-graph choice go into the session's views (sessionFiles), so
 * a reload or a reopened session shows them again; the comparison itself is computed again then.
 */
import type { ComparisonView } from '../api/index.ts';

export const compareMemory = $state<{
  a?: string;
  b?: string;
  truthChoice: 'none' | 'sample' | 'upload' | 'reference';
  uploaded?: { name: string; text: string };
  result?: ComparisonView;
  /** Set when a restored session had a comparison on screen: the Compare screen computes it again. */
  redo?: boolean;
}>({ truthChoice: 'none' });
