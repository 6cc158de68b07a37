import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCytoscapeEdges, writeCytoscapeJson } from '../../../src/gflownet/graphio/cytoscape.ts';
import { writeDot } from '../../../src/gflownet/graphio/dot.ts';
import { readDot } from '../../../src/gflownet/graphio/dotReader.ts';
import { exportRun, EXPORT_FORMATS, renderExport } from '../../../src/gflownet/export/renderExport.ts';
import { consensusAt, formatNumber, type ExportGraph } from '../../../src/gflownet/graphio/graph.ts';
import { readGraphml, writeGraphml } from '../../../src/gflownet/graphio/graphml.ts';
import { importGraphFile } from '../../../src/gflownet/graphio/importGraph.ts';
import { resolveGraph } from '../../../src/gflownet/graphio/parsedGraph.ts';
import { writeTetradGraph } from '../../../src/gflownet/graphio/tetrad.ts';
import { loadRunDirectory } from '../../../src/gflownet/export/runDirectory.ts';
import { tempDir, writeRunFolder } from './fixtures.ts';
import { DATA_EXPORTS } from '../../../src/shared/exchange.ts';
import { parseDotInPython, parseGraphmlInPython } from './pythonChecks.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

// A 6-variable posterior with edges exactly at the thresholds used below and a 2-cycle at 0.5.
const columns = ['A', 'B', 'C', 'D', 'E', 'F'];
const d = columns.length;
const marginals = new Float64Array(d * d);
const set = (i: number, j: number, p: number): void => void (marginals[i * d + j] = p);
set(0, 1, 0.97);
set(1, 2, 0.5);
set(2, 1, 0.5);
set(0, 3, 0.75);
set(3, 4, 0.7499999);
set(4, 5, 0.25);
set(1, 5, 0.1);
set(2, 3, 0.49);

function expectedEdges(threshold: number): Array<[string, string, number]> {
  const out: Array<[string, string, number]> = [];
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++)
      if (i !== j && marginals[i * d + j]! >= threshold) out.push([columns[i]!, columns[j]!, marginals[i * d + j]!]);
  return out;
}

describe('python3 is available for the independent checks', () => {
  it('runs', () => {
    // A missing python3 must fail here (and in every parser test below), never skip.
    expect(execFileSync('python3', ['-c', 'import xml.etree.ElementTree, json, zlib; print("ok")'], { encoding: 'utf8' }).trim()).toBe(
      'ok',
    );
  });
});

describe('consensus graph at a threshold: exactly the edges at or above it', () => {
  const thresholds = [0.25, 0.5, 0.75, 0.97, 1];
  const graphs = thresholds.map((t) => consensusAt(columns, marginals, t));
  // one python start per format for all thresholds (python3 starts slowly on a loaded machine)
  let graphmlParsed: ReturnType<typeof parseGraphmlInPython> = [];
  let dotParsed: ReturnType<typeof parseDotInPython> = [];
  beforeAll(() => {
    graphmlParsed = parseGraphmlInPython(graphs.map(writeGraphml));
    dotParsed = parseDotInPython(graphs.map(writeDot));
  });
  for (const [k, threshold] of thresholds.entries()) {
    it(`GraphML at ${threshold}, read by ElementTree`, () => {
      const parsed = graphmlParsed[k]!;
      expect(parsed.edgedefault).toBe('directed');
      expect(parsed.nodes).toEqual(columns);
      expect(parsed.keys).toContainEqual({ id: 'probability', for: 'edge', 'attr.name': 'probability', 'attr.type': 'double' });
      expect(parsed.edges).toEqual(expectedEdges(threshold).map(([a, b, p]) => [a, b, Number(formatNumber(p))]));
    });

    it(`DOT at ${threshold}, checked against the emitted grammar in python and by our reader`, () => {
      const text = writeDot(graphs[k]!);
      const parsed = dotParsed[k]!;
      expect(parsed.nodes).toEqual(columns);
      expect(parsed.edges).toEqual(expectedEdges(threshold).map(([a, b, p]) => [a, b, Number(formatNumber(p))]));
      const ours = readDot(text, 'consensus.dot');
      expect(ours.edges.map((e) => [e.from, e.to])).toEqual(expectedEdges(threshold).map(([a, b]) => [a, b]));
      expect(ours.nodes.map((n) => n.name)).toEqual(columns);
    });
  }

  it('refuses a threshold outside (0, 1]', () => {
    expect(() => consensusAt(columns, marginals, 0)).toThrow(/threshold/);
    expect(() => consensusAt(columns, marginals, 1.5)).toThrow(/threshold/);
  });
});

describe('node names that need escaping survive every graph format', () => {
  const names = ['a "quoted" name', 'x<y & z>', "it's", 'back\\slash', 'ünïcødé σ', 'with space', 'digraph', '-1.5'];
  const graph: ExportGraph = {
    nodes: names,
    edges: names.slice(1).map((n, k) => ({ from: names[k]!, to: n, probability: 0.5 + k / 20 })),
    threshold: 0.5,
  };

  it('GraphML: ElementTree and our reader see the same names and edges', () => {
    const text = writeGraphml(graph);
    const [py] = parseGraphmlInPython([text]);
    expect(py.nodes).toEqual(names);
    expect(py.edges.map(([a, b]) => [a, b])).toEqual(graph.edges.map((e) => [e.from, e.to]));
    const ours = readGraphml(text, 'names.graphml');
    expect(ours.nodes.map((n) => n.name)).toEqual(names);
    expect(ours.edges.map((e) => [e.from, e.to])).toEqual(graph.edges.map((e) => [e.from, e.to]));
  });

  it('DOT: the python grammar check and our reader see the same names and edges', () => {
    const text = writeDot(graph);
    const [py] = parseDotInPython([text]);
    expect(py.nodes).toEqual(names);
    expect(py.edges.map(([a, b]) => [a, b])).toEqual(graph.edges.map((e) => [e.from, e.to]));
    const ours = readDot(text, 'names.dot');
    expect(ours.nodes.map((n) => n.name)).toEqual(names);
    expect(ours.edges.map((e) => [e.from, e.to])).toEqual(graph.edges.map((e) => [e.from, e.to]));
  });

  it('Cytoscape JSON', () => {
    expect(readCytoscapeEdges(writeCytoscapeJson(graph))).toEqual(graph.edges);
  });

  it("Tetrad's text format cannot hold them and says so", () => {
    expect(() => writeTetradGraph(graph)).toThrow(/cannot hold the node name "a "quoted" name"/);
  });
});

describe('round trips through files: export → import gives the same graph', () => {
  const run = tmp.file('run');
  const written = (() => {
    execFileSync('mkdir', ['-p', run]);
    return writeRunFolder(run, { samples: 300, seed: 5 });
  })();

  for (const format of ['graphml', 'dot', 'tetrad'] as const) {
    for (const threshold of [0.3, 0.5, 0.8]) {
      it(`${format} at ${threshold}`, async () => {
        const results = await loadRunDirectory(run);
        const out = tmp.file(`consensus-${threshold}.${format}`);
        const result = await exportRun(results, format, out, { threshold });
        const imported = await importGraphFile(out, written.columns);
        const expected = consensusAt(written.columns, written.marginals, threshold);
        expect(imported.edges.map(([i, j]) => [written.columns[i], written.columns[j]])).toEqual(expected.edges.map((e) => [e.from, e.to]));
        expect(result.edges).toBe(expected.edges.length);
        expect(imported.format).toBe(format);
      });
    }
  }

  it('byte-identical output for identical input, for every format', async () => {
    const first = await loadRunDirectory(run);
    const second = await loadRunDirectory(run);
    // (Formats that need the run's data: bifExports.test.ts.)
    for (const format of EXPORT_FORMATS.filter((f) => !DATA_EXPORTS.includes(f))) {
      const a = tmp.file(`twice-a-${format}`);
      const b = tmp.file(`twice-b-${format}`);
      await exportRun(first, format, a, { threshold: 0.5 });
      await exportRun(second, format, b, { threshold: 0.5 });
      expect(readFileSync(a).equals(readFileSync(b)), format).toBe(true);
      expect(readFileSync(a).length, format).toBeGreaterThan(0);
    }
  });

  it('the samples JSON Lines export is the run file itself', async () => {
    const results = await loadRunDirectory(run);
    const out = tmp.file('copy.jsonl');
    await exportRun(results, 'samples-jsonl', out);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(`${run}/samples.jsonl`, 'utf8'));
  });

  it('a graph export of a run without samples still works; a samples export says what is missing', async () => {
    const onlyMarginals = tmp.file('marginals-only');
    execFileSync('mkdir', ['-p', onlyMarginals]);
    writeRunFolder(onlyMarginals, { samples: 50 });
    execFileSync('rm', [`${onlyMarginals}/samples.jsonl`]);
    const results = await loadRunDirectory(onlyMarginals);
    expect(results.samples).toBeNull();
    expect(() => renderExport(results, 'graphml')).not.toThrow();
    expect(() => renderExport(results, 'samples-csv')).toThrow(/needs the posterior samples/);
  });
});

describe('cycles in a consensus graph are exported faithfully and refused on import as a DAG', () => {
  it('a 2-cycle at exactly 0.5', () => {
    const graph = consensusAt(columns, marginals, 0.5);
    const parsed = readGraphml(writeGraphml(graph), 'cyclic.graphml');
    expect(() => resolveGraph(parsed, columns)).toThrow(/cycle: B → C → B|cycle: C → B → C/);
    expect(resolveGraph(parsed, columns, { acyclic: false }).edges.length).toBe(graph.edges.length);
  });
});
