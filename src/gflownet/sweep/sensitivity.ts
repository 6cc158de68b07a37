/**
 * The sensitivity table of a grid sweep: for each setting of the grid and each edge, how much
 * the combined edge probability moves when that setting alone changes (the other settings
 * held at the same values), and between which values. An edge is listed when it moves by more
 * than SENSITIVITY_CHANGE: the conclusions about it depend on the prior or the parent bound.
 */
import type { GridAxis } from './plan.ts';
import type { CellCombination } from './combine.ts';

export const SENSITIVITY_CHANGE = 0.1;

export interface SensitivityRow {
  from: number;
  to: number;
  /** The grid setting that moves the edge. */
  setting: string;
  /** The edge's probability at each value of the setting, where it moved most. */
  values: Array<{ value: string; probability: number }>;
  /** The other settings at which it moved most ("" with a one-setting grid). */
  at: string;
  /** max − min over the values. */
  change: number;
}

export function sensitivityTable(grid: readonly GridAxis[], cells: readonly CellCombination[], d: number): SensitivityRow[] {
  const rows: SensitivityRow[] = [];
  for (const axis of grid) {
    const others = grid.filter((a) => a.key !== axis.key);
    // Cells that differ only in this axis share the key of the other axes' values.
    const groups = new Map<string, CellCombination[]>();
    for (const c of cells) {
      const key = others.map((a) => `${a.key}=${c.cell[a.key]}`).join(', ');
      groups.set(key, [...(groups.get(key) ?? []), c]);
    }
    for (let e = 0; e < d * d; e++) {
      const from = Math.floor(e / d);
      const to = e % d;
      if (from === to) continue;
      let best: SensitivityRow | null = null;
      for (const [at, group] of groups) {
        if (group.length < 2) continue;
        const ordered = axis.values
          .map((value) => ({ value, cell: group.find((c) => c.cell[axis.key] === value) }))
          .filter((x): x is { value: string; cell: CellCombination } => x.cell !== undefined)
          .map((x) => ({ value: x.value, probability: x.cell.edge.mean[e]! }));
        const ps = ordered.map((x) => x.probability);
        const change = Math.max(...ps) - Math.min(...ps);
        if (best === null || change > best.change) best = { from, to, setting: axis.key, values: ordered, at, change };
      }
      if (best && best.change > SENSITIVITY_CHANGE) rows.push(best);
    }
  }
  return rows.sort((a, b) => b.change - a.change || a.setting.localeCompare(b.setting) || a.from - b.from || a.to - b.to);
}
