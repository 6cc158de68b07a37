import { mkdirSync, readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { afterAll, describe, expect, it } from 'vitest';
import { exportRun } from '../../../src/gflownet/export/renderExport.ts';
import { consensusAt, formatNumber } from '../../../src/gflownet/graphio/graph.ts';
import { layoutGraph, type GraphLayout } from '../../../src/gflownet/render/layout.ts';
import { Rng } from '../../../src/gflownet/core/rng.ts';
import { renderPng } from '../../../src/gflownet/render/png.ts';
import { renderReport } from '../../../src/gflownet/report/report.ts';
import { loadRunDirectory } from '../../../src/gflownet/export/runDirectory.ts';
import { renderSvg } from '../../../src/gflownet/render/svg.ts';
import { arcStrengthCsv, arcStrengths, samplesToCsv } from '../../../src/gflownet/export/tables.ts';
import { edgeMarginalsFromSamples } from '../../../src/gflownet/samples/format.ts';
import { tempDir, writeRunFolder } from './fixtures.ts';
import { checkPngInPython } from './pythonChecks.ts';

const tmp = tempDir('dagflow-tables-');
afterAll(() => tmp.cleanup());

describe('samples CSV (sample,from,to)', () => {
  it('one row per edge, an empty DAG as one row with empty cells, names quoted when needed', () => {
    const csv = samplesToCsv([
      {
        edges: [
          ['A', 'B'],
          ['B', 'C, Inc.'],
        ],
        logScore: -1,
      },
      { edges: [], logScore: -2 },
      { edges: [['C, Inc.', 'A']], logScore: -3 },
    ]);
    expect(csv).toBe('sample,from,to\n1,A,B\n1,B,"C, Inc."\n2,,\n3,"C, Inc.",A\n');
  });

  it('reads back into the same samples (R/pandas-style parse)', () => {
    const columns = ['X0', 'X1', 'X2', 'X3'];
    const records = [
      {
        edges: [
          ['X0', 'X1'],
          ['X2', 'X3'],
        ] as Array<[string, string]>,
        logScore: 0,
      },
      { edges: [] as Array<[string, string]>, logScore: 0 },
      { edges: [['X3', 'X0']] as Array<[string, string]>, logScore: 0 },
    ];
    const rows = Papa.parse<{ sample: string; from: string; to: string }>(samplesToCsv(records), {
      header: true,
      skipEmptyLines: true,
    }).data;
    const back = new Map<number, Array<[string, string]>>();
    for (const r of rows) {
      const s = Number(r.sample);
      if (!back.has(s)) back.set(s, []);
      if (r.from !== '') back.get(s)!.push([r.from, r.to]);
    }
    expect([...back.values()]).toEqual(records.map((r) => r.edges));
    expect(
      edgeMarginalsFromSamples(
        [...back.values()].map((edges) => ({ edges, logScore: 0 })),
        columns,
      ),
    ).toEqual(edgeMarginalsFromSamples(records, columns));
  });
});

describe('arc strengths (bnlearn layout)', () => {
  it('strength = P(either direction), direction = P(forward | edge), every ordered pair', () => {
    const columns = ['A', 'B', 'C'];
    // P(A→B) = 0.6, P(B→A) = 0.2, P(B→C) = 0.5, nothing else
    const m = [0, 0.6, 0, 0.2, 0, 0.5, 0, 0, 0];
    const rows = arcStrengths(columns, m);
    expect(rows.map((r) => `${r.from}${r.to}`)).toEqual(['AB', 'AC', 'BA', 'BC', 'CA', 'CB']);
    const ab = rows[0]!;
    expect(ab.strength).toBeCloseTo(0.8, 15);
    expect(ab.direction).toBeCloseTo(0.75, 15);
    expect(rows[2]!.direction).toBeCloseTo(0.25, 15);
    expect(rows[1]).toEqual({ from: 'A', to: 'C', strength: 0, direction: 0 });
    expect(rows[3]).toEqual({ from: 'B', to: 'C', strength: 0.5, direction: 1 });
    expect(arcStrengthCsv(columns, m)).toBe(
      'from,to,strength,direction\nA,B,0.8,0.75\nA,C,0,0\nB,A,0.8,0.25\nB,C,0.5,1\nC,A,0,0\nC,B,0.5,0\n',
    );
  });

  it('formatNumber: fixed decimals, no exponent, no -0', () => {
    expect(formatNumber(1e-9)).toBe('0');
    expect(formatNumber(-1e-9)).toBe('0');
    expect(formatNumber(1 / 3)).toBe('0.333333');
    expect(formatNumber(1)).toBe('1');
    expect(formatNumber(2.5e-5)).toBe('0.000025');
    expect(() => formatNumber(NaN)).toThrow();
  });
});

describe('SVG and PNG of the consensus graph', () => {
  const columns = ['Raf', 'Mek', 'Plcg', 'PIP2', 'PIP3', 'Erk'];
  const d = columns.length;
  const m = new Float64Array(d * d);
  m[0 * d + 1] = 0.95;
  m[1 * d + 5] = 0.8;
  m[2 * d + 3] = 0.6;
  m[4 * d + 3] = 0.7;
  m[2 * d + 4] = 0.5;
  m[4 * d + 2] = 0.5;
  const graph = consensusAt(columns, m, 0.5);

  /** Every stretch of every edge, sampled, must stay out of the boxes of nodes other than its ends; labels too. */
  function crossings(layout: GraphLayout): string[] {
    const found: string[] = [];
    const inside = (x: number, y: number, n: GraphLayout['nodes'][number], margin: number): boolean =>
      Math.abs(x - n.x) < n.width / 2 - margin && Math.abs(y - n.y) < n.height / 2 - margin;
    for (const e of layout.edges) {
      for (let k = 0; k + 1 < e.points.length; k++) {
        const [[x0, y0], [x1, y1]] = [e.points[k]!, e.points[k + 1]!];
        for (let t = 0; t <= 1; t += 1 / 32) {
          for (const n of layout.nodes) {
            if (n.name !== e.from && n.name !== e.to && inside(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t, n, 0))
              found.push(`${e.from}→${e.to} crosses ${n.name}`);
          }
        }
      }
      // the route ends on its own nodes' borders, not inside them
      for (const [[x, y], name] of [
        [e.points[0]!, e.from],
        [e.points.at(-1)!, e.to],
      ] as const) {
        const n = layout.nodes.find((m) => m.name === name)!;
        if (inside(x, y, n, 1)) found.push(`${e.from}→${e.to} ends inside ${name}`);
      }
      if (e.label) {
        for (const n of layout.nodes) {
          const l = e.label;
          if (
            l.x < n.x + n.width / 2 &&
            l.x + l.width > n.x - n.width / 2 &&
            l.y < n.y + n.height / 2 &&
            l.y + l.height > n.y - n.height / 2
          )
            found.push(`label of ${e.from}→${e.to} covers ${n.name}`);
        }
      }
    }
    return found;
  }

  it('the layout puts every parent above its child when the graph is acyclic, and is deterministic', () => {
    const acyclic = consensusAt(columns, m, 0.55);
    const layout = layoutGraph(acyclic);
    const y = new Map(layout.nodes.map((n) => [n.name, n.y]));
    for (const e of acyclic.edges) expect(y.get(e.from)!).toBeLessThan(y.get(e.to)!);
    expect(layoutGraph(acyclic)).toEqual(layout);
    for (const n of layout.nodes) {
      expect(n.x - n.width / 2).toBeGreaterThanOrEqual(0);
      expect(n.y + n.height / 2).toBeLessThanOrEqual(layout.height);
    }
    // the 2-cycle at 0.5 is still laid out, as two separate routes with their own labels
    const cyclic = layoutGraph(graph);
    const pair = cyclic.edges.filter((e) => (e.from === 'Plcg' && e.to === 'PIP3') || (e.from === 'PIP3' && e.to === 'Plcg'));
    expect(pair.length).toBe(2);
    expect(pair[0]!.points).not.toEqual(pair[1]!.points);
    expect(pair[0]!.label).not.toEqual(pair[1]!.label);
  });

  it('edges and their labels never pass through a node other than their own ends (random graphs, long edges routed around)', () => {
    const rng = new Rng(2024);
    for (let trial = 0; trial < 12; trial++) {
      const n = 6 + rng.int(8);
      const names = Array.from({ length: n }, (_, k) => `V${k}`);
      const m = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (rng.next() < 0.3) m[i * n + j] = 0.5 + rng.next() / 2;
      expect(crossings(layoutGraph(consensusAt(names, m, 0.5))), `trial ${trial}`).toEqual([]);
    }
  });

  it('the Sachs consensus at 0.3 (exact posterior, BGe, uniform prior): three 2-cycle pairs and more, and no edge through a node', () => {
    // `npx dagflow exact --data samples/sachs_obs_853.csv --json`, edges with P ≥ 0.3
    const sachs = {
      nodes: ['Raf', 'Mek', 'Plcg', 'PIP2', 'PIP3', 'Erk', 'Akt', 'PKA', 'PKC', 'P38', 'Jnk'],
      edges: (
        [
          ['Raf', 'Mek', 0.4884],
          ['Mek', 'Raf', 0.5116],
          ['Plcg', 'PIP3', 0.3438],
          ['PIP2', 'PIP3', 0.3909],
          ['PIP3', 'Plcg', 0.6183],
          ['PIP3', 'PIP2', 0.6091],
          ['Erk', 'Akt', 0.5163],
          ['Erk', 'PKA', 0.4919],
          ['Akt', 'Erk', 0.4837],
          ['Akt', 'PKA', 0.4797],
          ['PKA', 'Erk', 0.5081],
          ['PKA', 'Akt', 0.5203],
          ['P38', 'PKC', 0.9637],
          ['Jnk', 'PKC', 0.9638],
        ] as const
      ).map(([from, to, probability]) => ({ from, to, probability })),
      threshold: 0.3,
    };
    const layout = layoutGraph(sachs);
    expect(layout.edges.length).toBe(14);
    expect(crossings(layout)).toEqual([]);
    // no two labels on top of each other
    const labels = layout.edges.map((e) => e.label!);
    for (const [i, a] of labels.entries())
      for (const b of labels.slice(i + 1))
        expect(a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height).toBe(false);
  });

  it('SVG: one box per node, one path per edge, escaped names', () => {
    const svg = renderSvg({
      ...graph,
      nodes: [...graph.nodes.slice(0, -1), 'E<r>k'],
      edges: graph.edges.map((e) => ({ ...e, to: e.to === 'Erk' ? 'E<r>k' : e.to })),
    });
    expect(svg.match(/<rect x=/g)!.length).toBe(d);
    expect(svg.match(/marker-end=/g)!.length).toBe(graph.edges.length);
    expect(svg).toContain('E&lt;r&gt;k');
    expect(svg).not.toContain('E<r>k');
  });

  it('PNG: valid for python (signature, CRCs, size), byte-stable, node fill inside the boxes, labels drawn in a real font', () => {
    const png = renderPng(graph);
    const layout = layoutGraph(graph);
    const s = 2;
    // just inside the left end of each node (fill colour, away from the label), and each label's box
    const points = layout.nodes.map((n): [number, number] => [Math.round((n.x - n.width / 2 + 5) * s), Math.round(n.y * s)]);
    const labelBoxes = layout.nodes.map((n): [number, number, number, number] => [
      Math.round((n.x - n.width / 2 + 8) * s),
      Math.round((n.y - 8) * s),
      Math.round((n.x + n.width / 2 - 8) * s),
      Math.round((n.y + 8) * s),
    ]);
    const emptyBox: [number, number, number, number] = [0, 0, 8, 8];
    const py = checkPngInPython(png, { points: [[0, 0], ...points], boxes: [...labelBoxes, emptyBox] });
    expect(py.chunks[0]).toBe('IHDR');
    expect(py.chunks.at(-1)).toBe('IEND');
    expect(py.chunks).toContain('IDAT');
    expect(py.depth).toBe(8);
    expect(py.width).toBe(layout.width * s);
    expect(py.height).toBe(layout.height * s);
    expect(Buffer.from(renderPng(graph)).equals(Buffer.from(png))).toBe(true);
    expect(py.pixels[0]).toEqual([255, 255, 255]);
    for (const rgb of py.pixels.slice(1)) expect(rgb).toEqual([238, 243, 251]);
    // a missing font would leave the ellipses empty: every name must put ink in its box
    for (const [k, n] of layout.nodes.entries()) expect(py.dark[k], `label ${n.name}`).toBeGreaterThan(n.name.length * 8);
    expect(py.dark.at(-1)).toBe(0);
  });
});

describe('the HTML run report', () => {
  it('is self-contained and holds settings, data summary, heat map, graph, plots and metrics', async () => {
    const run = tmp.file('run');
    mkdirSync(run);
    const { columns } = writeRunFolder(run, { samples: 120 });
    const results = await loadRunDirectory(run);
    const d = columns.length;
    const truth = new Uint8Array(d * d);
    truth[0 * d + 1] = 1;
    truth[1 * d + 2] = 1;
    const html = renderReport(results, { threshold: 0.5, truth, generator: 'DAGFlow test' });
    for (const heading of [
      'Settings',
      'Data and posterior',
      'Edge marginals',
      'Consensus graph',
      'Plots',
      'Most frequent DAGs',
      'Metrics against the reference graph',
    ]) {
      expect(html).toContain(`<h2>${heading}</h2>`);
    }
    expect(html).toContain('<td>objective</td><td>mdb</td>');
    expect(html).toMatch(/E-SHD/);
    expect(html).toMatch(/AUROC/);
    // no scripts and nothing fetched from elsewhere: the only URLs are XML namespace names
    expect(html).not.toMatch(/<script|<link|<img|<iframe|src=|@import|url\(http/i);
    const urls = html.match(/https?:\/\/[^"'\s)]+/g) ?? [];
    expect(new Set(urls)).toEqual(new Set(['http://www.w3.org/2000/svg']));
    const out = tmp.file('report.html');
    await exportRun(results, 'report', out, { truth, generator: 'DAGFlow test' });
    expect(readFileSync(out, 'utf8')).toBe(html);
  });

  it('MCMC summaries: nested diagnostics flattened, the convergence warning up front, chain traces plotted, long lists summarised', async () => {
    const run = tmp.file('mcmc-run');
    mkdirSync(run);
    writeRunFolder(run, { samples: 60 });
    const results = await loadRunDirectory(run);
    const iteration = Array.from({ length: 300 }, (_, k) => 4 * (k + 1));
    results.summary = {
      ...results.summary,
      method: 'mc3',
      prior: { kind: 'uniform' },
      diagnostics: {
        rhatMax: 1.2181162,
        converged: false,
        warning: 'Not converged: the chains disagree about X0 → X1.',
        keptSamplesPerChain: iteration,
      },
      traces: [0, 1].map((chain) => ({ chain, iteration, logScore: iteration.map((i) => -100 - chain - 1 / i) })),
    };
    const html = renderReport(results);
    expect(html).toContain('<p class="warning"><strong>Convergence:</strong> Not converged: the chains disagree about X0 → X1.</p>');
    expect(html).toContain('<td>diagnostics.rhatMax</td><td>1.218116</td>');
    expect(html).toContain('<td>prior.kind</td><td>uniform</td>');
    expect(html).toContain('<td>diagnostics.keptSamplesPerChain</td><td>(300 items; see summary.json)</td>');
    expect(html).toContain('Log-score trace of each chain');
    expect(html).toMatch(/>chain 1<\/text>[\s\S]*>chain 2<\/text>/);
    expect(html).not.toContain('<td>traces</td>');
  });
});
