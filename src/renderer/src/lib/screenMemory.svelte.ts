/**
 * What a screen keeps when the user switches to another tab and back (a screen's own state dies
 * with its component): the Compare screen's pair of runs, its true-graph choice and the last
 * comparison. Kept for the window's lifetime, not in session files.
 */
import type { ComparisonView } from '../api/index.ts';

export const compareMemory = $state<{
  a?: string;
  b?: string;
  truthChoice: 'none' | 'sample' | 'upload' | 'reference';
  uploaded?: { name: string; text: string };
  result?: ComparisonView;
}>({ truthChoice: 'none' });
