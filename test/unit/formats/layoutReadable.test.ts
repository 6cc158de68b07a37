/**
 * Issue 15 item 11: the layered layout of the consensus graph is readable at every threshold —
 * no edge passes under a node other than its own two ends, no probability label covers a node
 * or another label — measured on the laid-out positions (the exports' layout; the window uses
 * the same ELK options and draws ELK's positions and routes, and test/e2e/layout.spec.ts measures
 * it there too).
 */
import { describe, expect, it } from 'vitest';
import { consensusAt } from '../../../src/gflownet/graphio/graph.ts';
import { layoutGraph } from '../../../src/gflownet/render/layout.ts';
import { layoutProblems } from '../../../src/shared/graphLayout.ts';

describe('the consensus graph of Sachs is readable at every threshold', () => {
  // `npx dagflow exact --data samples/sachs_obs_853.csv --json` (BGe, uniform prior), P(row → column)
  const columns = ['Raf', 'Mek', 'Plcg', 'PIP2', 'PIP3', 'Erk', 'Akt', 'PKA', 'PKC', 'P38', 'Jnk'];
  const marginals = [
    0.0, 0.4884, 0.0108, 0.0329, 0.0129, 0.1162, 0.1403, 0.011, 0.0124, 0.0464, 0.0107, 0.5116, 0.0, 0.0088, 0.1022, 0.0226, 0.0828, 0.0933,
    0.0101, 0.0139, 0.0133, 0.0226, 0.0166, 0.0124, 0.0, 0.0406, 0.3438, 0.0322, 0.0341, 0.0096, 0.0129, 0.0099, 0.0721, 0.029, 0.103,
    0.0462, 0.0, 0.3909, 0.0358, 0.038, 0.0172, 0.012, 0.0103, 0.0097, 0.0154, 0.0279, 0.6183, 0.6091, 0.0, 0.0359, 0.0392, 0.0199, 0.0129,
    0.0268, 0.0669, 0.0131, 0.0119, 0.0091, 0.0092, 0.0127, 0.0, 0.5163, 0.4919, 0.0126, 0.0099, 0.0115, 0.0138, 0.0122, 0.0091, 0.0092,
    0.0135, 0.4837, 0.0, 0.4797, 0.0127, 0.0098, 0.0112, 0.0113, 0.012, 0.0088, 0.0142, 0.0204, 0.5081, 0.5203, 0.0, 0.0128, 0.0138, 0.0353,
    0.0307, 0.0141, 0.0084, 0.0101, 0.0129, 0.039, 0.0413, 0.0107, 0.0, 0.0363, 0.0362, 0.0721, 0.0194, 0.0095, 0.0111, 0.0276, 0.0348,
    0.0369, 0.0148, 0.9637, 0.0, 0.0361, 0.0453, 0.095, 0.0547, 0.0093, 0.0546, 0.0414, 0.0438, 0.0364, 0.9638, 0.0366, 0.0,
  ];

  it.each([0.05, 0.1, 0.2, 0.3, 0.5])('threshold %s: no edge under a node, no label on a node or another label', (threshold) => {
    const graph = consensusAt(columns, Float64Array.from(marginals), threshold);
    expect(graph.edges.length).toBeGreaterThan(threshold >= 0.5 ? 5 : 12);
    const layout = layoutGraph(graph);
    const boxes = layout.nodes.map((n) => ({
      name: n.name,
      x: n.x - n.width / 2,
      y: n.y - n.height / 2,
      width: n.width,
      height: n.height,
    }));
    expect(layout.edges.every((e) => e.label !== undefined)).toBe(true);
    expect(layoutProblems(boxes, layout.edges)).toEqual({ crossings: [], labelOverlaps: [] });
  });

  it('the check finds an edge drawn straight through a node and two labels on each other', () => {
    const nodes = [
      { name: 'A', x: 0, y: 0, width: 40, height: 20 },
      { name: 'B', x: 0, y: 100, width: 40, height: 20 },
      { name: 'C', x: 0, y: 200, width: 40, height: 20 },
    ];
    const label = { x: 50, y: 50, width: 30, height: 14 };
    const problems = layoutProblems(nodes, [
      {
        from: 'A',
        to: 'C',
        points: [
          [20, 20],
          [20, 200],
        ],
        label,
      },
      {
        from: 'A',
        to: 'B',
        points: [
          [0, 20],
          [0, 100],
        ],
        label: { ...label, x: 60 },
      },
    ]);
    expect(problems.crossings).toEqual(['A→C passes under B']);
    expect(problems.labelOverlaps).toEqual(['the labels of A→C and A→B overlap']);
  });
});
