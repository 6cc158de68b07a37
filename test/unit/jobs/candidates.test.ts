/**
 * The space the Model screen shows before a run is the space the run samples in: the
 * `candidates` job against the layered sampler's own problem (layerProblemFor) on the same data
 * and knowledge — candidates per node, table entries, parent bound and edges outside.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { quietJobContext } from '../../../src/gflownet/core/job.ts';
import { buildConstraints } from '../../../src/gflownet/env/constraints.ts';
import { layerProblemFor } from '../../../src/gflownet/layerflow/layerProblem.ts';
import { loadSamplerProblem } from '../../../src/gflownet/problem/load.ts';
import type { ProblemSpec } from '../../../src/gflownet/problem/spec.ts';
import { formatDataCsv, generateSynthetic } from '../../../src/gflownet/synth/generate.ts';
import { run } from '../../../src/jobs/kinds/candidates.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'dagflow-candidates-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function problemOf(nodes: number, maxParents?: number): ProblemSpec {
  const file = path.join(dir, `synth${nodes}.csv`);
  writeFileSync(file, formatDataCsv(generateSynthetic({ nodes, edgesPerNode: 1, rows: 200, seed: 8 })));
  return {
    data: { path: file, name: path.basename(file), options: {} },
    score: { score: 'bge' },
    prior: { kind: 'uniform' },
    knowledge: {
      forbidden: { edges: [[1, 0]] },
      required: { edges: [[2, 0]] },
      ...(maxParents !== undefined ? { maxParents } : {}),
    },
  };
}

describe('the candidates job shows the space a layered run samples in', () => {
  for (const [label, nodes, K, maxParents] of [
    ['automatic, 25 variables', 25, 0, undefined],
    ['K = 9, 25 variables, at most 4 parents', 25, 9, 4],
  ] as const) {
    it(
      label,
      async () => {
        const spec = problemOf(nodes, maxParents);
        const view = await run({ problem: spec, candidateParents: K }, quietJobContext());
        const loaded = await loadSamplerProblem(spec);
        const constraints = buildConstraints(nodes, loaded.knowledge);
        const { problem, candidates } = layerProblemFor(loaded.reward, constraints, K);
        expect(candidates).toBeDefined();
        expect(view.kind).toBe(K > 0 ? 'chosen' : 'automatic');
        expect(view.size).toBe(candidates!.size);
        expect(view.outsideEdges).toBe(candidates!.outsideCount);
        expect(view.tableEntries).toBe(problem.tables.totalEntries);
        expect(view.tableMaxParents).toBe(problem.tables.maxParents);
        view.nodes.forEach((node, j) => {
          const shown = [...node.screened, ...node.added].map((name) => view.variables.indexOf(name)).sort((a, b) => a - b);
          expect(shown).toEqual([...candidates!.parents[j]!]);
        });
        // The required edge X2 → X0 is inside; the forbidden X1 → X0 is not.
        const x0 = view.nodes[0]!;
        expect([...x0.screened, ...x0.added]).toContain(view.variables[2]);
        expect([...x0.screened, ...x0.added]).not.toContain(view.variables[1]);
      },
      60_000,
    );
  }
});
