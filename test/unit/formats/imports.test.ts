import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DagflowError } from '../../../src/gflownet/core/errors.ts';
import { readDot } from '../../../src/gflownet/graphio/dotReader.ts';
import { readGraphml } from '../../../src/gflownet/graphio/graphml.ts';
import { detectGraphFormat, importGraphFile, parseGraphText } from '../../../src/gflownet/graphio/importGraph.ts';
import { importKnowledgeEdges } from '../../../src/gflownet/graphio/knowledgeImport.ts';
import { resolveGraph } from '../../../src/gflownet/graphio/parsedGraph.ts';
import { samplesDir, tempDir } from './fixtures.ts';

const tmp = tempDir('dagflow-imports-');
afterAll(() => tmp.cleanup());
const columns = ['A', 'B', 'C', 'D'];
const names = (edges: Array<[number, number]>): string[] => edges.map(([i, j]) => `${columns[i]}->${columns[j]}`);

async function importError(name: string, content: string, options: Parameters<typeof importGraphFile>[2] = {}): Promise<DagflowError> {
  const file = tmp.write(name, content);
  try {
    await importGraphFile(file, columns, options);
  } catch (e) {
    expect(e).toBeInstanceOf(DagflowError);
    return e as DagflowError;
  }
  throw new Error(`${name} was accepted`);
}

describe('the same graph from all four formats', () => {
  const files = {
    'g.csv': 'from,to\nA,B\nB,C\nA,D\n',
    'g.dot': 'digraph G {\n  A -> B;\n  B -> C\n  A -> D [weight=2];\n}\n',
    'g.graphml': `<?xml version="1.0"?>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n <graph edgedefault="directed">\n  <node id="A"/><node id="B"/><node id="C"/><node id="D"/>\n  <edge source="A" target="B"/>\n  <edge source="B" target="C"/>\n  <edge source="A" target="D"/>\n </graph>\n</graphml>\n`,
    'labelled.csv': ',A,B,C,D\nA,0,1,0,1\nB,0,0,1,0\nC,0,0,0,0\nD,0,0,0,0\n',
    'matrix.txt': 'A,B,C,D\n0,1,0,1\n0,0,1,0\n0,0,0,0\n0,0,0,0\n',
    'tetrad.txt': 'Graph Nodes:\nA;B;C;D\n\nGraph Edges:\n1. A --> B\n2. C <-- B\n3. A --> D\n\nGraph Attributes:\nScore: -12.5\n',
  };
  for (const [name, content] of Object.entries(files)) {
    it(name, async () => {
      const graph = await importGraphFile(tmp.write(name, content), columns);
      expect(names(graph.edges)).toEqual(['A->B', 'A->D', 'B->C']);
      expect(Array.from(graph.adjacency)).toEqual([0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    });
  }

  it('detects formats by extension and content', () => {
    expect(detectGraphFormat('x.gv', '')).toBe('dot');
    expect(detectGraphFormat('x.txt', 'strict digraph { a -> b }')).toBe('dot');
    expect(detectGraphFormat('x.txt', '<?xml version="1.0"?><graphml/>')).toBe('graphml');
    expect(detectGraphFormat('x.csv', 'from,to\nA,B')).toBe('edge-list');
    expect(detectGraphFormat('x.csv', ',A,B\nA,0,1\nB,0,0')).toBe('adjacency-matrix');
  });

  it("reads the Asia network's true arcs from samples/", async () => {
    const asia = ['asia', 'tub', 'smoke', 'lung', 'bronc', 'either', 'xray', 'dysp'];
    const graph = await importGraphFile(path.join(samplesDir, 'asia_truth.csv'), asia);
    expect(graph.edges.length).toBe(8);
  });
});

describe('errors name the file, the line and the problem', () => {
  it('unknown node in each format', async () => {
    const csv = await importError('unknown.csv', 'from,to\nA,B\nA,Q\n');
    expect(csv.toUserMessage()).toMatch(/unknown\.csv, row 3.*unknown node "Q"/);
    const dot = await importError('unknown.dot', 'digraph {\n A -> B\n B -> Zed\n}\n');
    expect(dot.toUserMessage()).toMatch(/unknown\.dot, row 3: line 3: unknown node "Zed".*A, B, C, D/);
    const gml = await importError(
      'unknown.graphml',
      '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph edgedefault="directed">\n<node id="A"/>\n<node id="Nope"/>\n</graph></graphml>',
    );
    expect(gml.message).toBe('line 3: unknown node "Nope"');
    const matrix = await importError('unknown-matrix.csv', ',A,X\nA,0,1\nX,0,0\n');
    expect(matrix.message).toMatch(/unknown node "X"/);
  });

  it('self-loops', async () => {
    expect((await importError('loop.dot', 'digraph { A -> B; C -> C }')).message).toBe('line 1: self-loop C → C');
    expect((await importError('loop.csv', 'from,to\nB,B\n')).toUserMessage()).toMatch(/row 2.*self-loop/);
    expect((await importError('loop-matrix.csv', ',A,B\nA,1,0\nB,0,0\n')).message).toMatch(/line 2: self-loop A → A/);
  });

  it('duplicates, with the first line', async () => {
    expect((await importError('dup.dot', 'digraph {\nA -> B\nC -> D\nA -> B\n}')).message).toBe(
      'line 4: duplicate edge A → B (first on line 2)',
    );
    expect((await importError('dup.csv', 'from,to\nA,B\nA,B\n')).toUserMessage()).toMatch(/row 3.*duplicate edge A → B \(first on row 2\)/);
  });

  it('cycles, listed node by node, unless cycles are allowed', async () => {
    const dot = await importError('cycle.dot', 'digraph {\nA -> B\nB -> C\nC -> A\nC -> D\n}');
    expect(dot.message).toBe('the graph has a cycle: A → B → C → A (closed by line 4)');
    expect((await importError('cycle.csv', 'from,to\nA,B\nB,A\n')).message).toMatch(/cycle: A → B → A/);
    const allowed = await importGraphFile(tmp.write('forbidden.csv', 'from,to\nA,B\nB,A\n'), columns, { acyclic: false });
    expect(allowed.edges.length).toBe(2);
  });

  it('undirected graphs are refused', async () => {
    expect((await importError('undirected-tetrad.txt', 'Graph Nodes:\nA;B\n\nGraph Edges:\n1. A --- B\n')).message).toBe(
      'line 5: the edge A --- B is not directed',
    );
    expect((await importError('undirected.dot', 'graph { A -- B }')).message).toMatch(/undirected graph/);
    expect((await importError('undirected2.dot', 'digraph { A -- B }')).message).toMatch(/undirected edge/);
    expect(
      (
        await importError(
          'undirected.graphml',
          '<graphml><graph edgedefault="undirected"><node id="A"/><node id="B"/><edge source="A" target="B"/></graph></graphml>',
        )
      ).message,
    ).toMatch(/line 1: the edge A — B is undirected/);
  });

  it('malformed and truncated files', async () => {
    expect((await importError('trunc.graphml', '<graphml>\n<graph>\n<node id="A"/>\n')).message).toMatch(
      /line 4: <graph> \(line 2\) is never closed — the file may be truncated/,
    );
    expect((await importError('mismatch.graphml', '<graphml>\n<graph>\n</graphml>')).message).toMatch(
      /line 3: Expected closing tag 'graph' \(opened in line 2, col 1\) instead of closing tag 'graphml'/,
    );
    expect((await importError('entity.graphml', '<graphml><graph><node id="A&bogus;"/></graph></graphml>')).message).toMatch(
      /unknown entity "&bogus;"/,
    );
    expect((await importError('doctype.graphml', '<!DOCTYPE x [<!ENTITY a "b">]><graphml/>')).message).toMatch(/DOCTYPE/);
    expect((await importError('trunc.dot', 'digraph {\n A -> B\n')).message).toMatch(/expected "}", found the end of the file/);
    expect((await importError('ragged.csv', ',A,B\nA,0\nB,0,0\n')).message).toMatch(/line 2: 1 values, expected 2/);
    expect((await importError('bad-cell.csv', ',A,B\nA,0,0.5\nB,0,0\n')).message).toMatch(
      /line 2: the cell for A → B is "0.5"; expected 0 or 1/,
    );
    expect((await importError('not-square.csv', ',A,B\nA,0,1\n')).message).toMatch(/2 columns but 1 rows/);
    expect((await importError('empty.dot', '   \n')).code).toBe('EMPTY_FILE');
    expect((await importError('missing-header.csv', 'A,B\n')).message).toMatch(/from.*to/);
  });

  it('a missing file', async () => {
    await expect(importGraphFile(tmp.file('nope.dot'), columns)).rejects.toThrow(/does not exist/);
  });
});

describe('the GraphML reader (fast-xml-parser, entity expansion off)', () => {
  it("decodes the predefined entities and character references, keeps CDATA literal, and names each element's line", () => {
    const text =
      '<graphml>\n<key id="n" for="node" attr.name="name"/>\n<graph edgedefault="directed">\n<node id="A&amp;B"><data key="n">&#x41;&#66;&lt;</data></node>\n<node id="C"><data key="n"><![CDATA[&amp;]]></data></node>\n<edge source="A&amp;B" target="C"/>\n</graph>\n</graphml>\n';
    const g = readGraphml(text, 'entities.graphml');
    expect(g.nodes).toEqual([
      { name: 'A&B', line: 4 },
      { name: 'C', line: 5 },
    ]);
    expect(g.edges).toEqual([{ from: 'A&B', to: 'C', line: 6 }]);
    expect([...g.labels!.entries()]).toEqual([
      ['A&B', 'AB<'],
      ['C', '&amp;'],
    ]);
  });

  it('refuses declared entities (a DOCTYPE, so no expansion bomb), unknown entities and a second root', () => {
    const laughs =
      '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>\n<graphml><graph><node id="&lol2;"/></graph></graphml>';
    expect(() => readGraphml(laughs, 'laughs.graphml')).toThrow(/line 2: a DOCTYPE is not accepted/);
    expect(() => readGraphml('<graphml><graph><node id="&#0;"/></graph></graphml>', 'nul.graphml')).toThrow(/unknown entity "&#0;"/);
    expect(() => readGraphml('<graphml/>\n<graphml/>', 'two.graphml')).toThrow(/line 2: content after the end of the root element/);
    // a DOCTYPE only named in a comment is no DOCTYPE
    expect(readGraphml('<!-- no <!DOCTYPE here -->\n<graphml><graph/></graphml>', 'c.graphml').nodes).toEqual([]);
  });
});

describe('the DOT reader understands what other tools write', () => {
  it('chains, groups, subgraphs, ports, attributes, comments, quoting, concatenation, keywords in any case', () => {
    const text = [
      '/* written by some tool */',
      '# preprocessor line',
      'STRICT DiGraph "my graph" {',
      '  graph [rankdir=LR]; node [shape=box] edge [color="red"]',
      '  rankdir = LR',
      '  A -> B -> C // chain',
      '  A -> {C; D} [label="two"]',
      '  subgraph cluster_0 { label = "x"; "D" }',
      '  "Lo" + "ng" -> A:port1:n',
      '  <<b>html</b>> -> A',
      '  -1.5 -> A',
      '}',
    ].join('\n');
    const g = readDot(text, 'x.dot');
    expect(g.edges.map((e) => `${e.from}->${e.to}@${e.line}`)).toEqual([
      'A->B@6',
      'B->C@6',
      'A->C@7',
      'A->D@7',
      'Long->A@9',
      '<b>html</b>->A@10',
      '-1.5->A@11',
    ]);
    expect(g.nodes.map((n) => n.name)).toEqual(['A', 'B', 'C', 'D', 'Long', '<b>html</b>', '-1.5']);
  });

  it('syntax errors name the line', () => {
    expect(() => readDot('digraph {\n A -> \n}', 'x.dot')).toThrow(/line 3: expected a node, found "}"/);
    expect(() => readDot('digraph {\n A -> B [label=]\n}', 'x.dot')).toThrow(/line 2: expected a value for "label"/);
    expect(() => readDot('digraph {\n node -> B\n}', 'x.dot')).toThrow(/line 2: "node" is a keyword/);
    expect(() => readDot('digraph { A }\ndigraph { B }', 'x.dot')).toThrow(/line 2: only one graph per file/);
    expect(() => readDot('digraph { "A" + B }', 'x.dot')).toThrow(/"\+" must be followed by a quoted string/);
    expect(() => readDot('digraph { "A }', 'x.dot')).toThrow(/unterminated quoted string/);
  });

  it('GraphML with ids apart from names (Cytoscape desktop, yEd): the names are used when the ids are not columns', async () => {
    const cytoscape = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key attr.type="string" attr.name="name" for="node" id="name"/>
  <key attr.type="string" attr.name="shared name" for="node" id="sn"/>
  <graph edgedefault="directed" id="7">
    <node id="101"><data key="sn">zzz</data><data key="name">A</data></node>
    <node id="102"><data key="name">B</data></node>
    <node id="103"><data key="name">C</data></node>
    <edge source="101" target="102"/>
    <edge source="102" target="103"/>
  </graph>
</graphml>`;
    const graph = await importGraphFile(tmp.write('cytoscape.graphml', cytoscape), columns);
    expect(names(graph.edges)).toEqual(['A->B', 'B->C']);
    // ids that are columns win over labels
    const ours =
      '<graphml><key id="label" for="node" attr.name="label"/><graph><node id="A"><data key="label">B</data></node><node id="B"/><edge source="A" target="B"/></graph></graphml>';
    expect(names((await importGraphFile(tmp.write('ids.graphml', ours), columns)).edges)).toEqual(['A->B']);
    // neither ids nor labels known: the error names the id
    const unknown = cytoscape.replace('<data key="name">C</data>', '<data key="name">Zed</data>');
    expect((await importError('unknown-label.graphml', unknown)).message).toMatch(/line 6: unknown node "101"/);
  });

  it('parseGraphText covers GraphML data keys and yEd-style extra elements', () => {
    const text = `<?xml version="1.0" encoding="UTF-8"?>
<!-- yEd -->
<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:y="http://www.yworks.com/xml/graphml">
  <key id="d0" for="node" yfiles.type="nodegraphics"/>
  <graph id="G" edgedefault="directed">
    <node id="A"><data key="d0"><y:ShapeNode><y:NodeLabel>A &amp; co</y:NodeLabel></y:ShapeNode></data></node>
    <node id="B"/>
    <edge id="e0" source="A" target="B"><data key="d1"><![CDATA[0.5]]></data></edge>
    <edge id="e1" source="B" target="A" directed="false"/>
  </graph>
</graphml>`;
    expect(() => parseGraphText(text, 'yed.graphml', 'graphml')).toThrow(/line 9: the edge B — A is undirected/);
    const ok = readGraphml(text.replace('<edge id="e1" source="B" target="A" directed="false"/>', ''), 'yed.graphml');
    expect(ok.edges).toEqual([{ from: 'A', to: 'B', line: 8 }]);
    expect(resolveGraph(ok, ['A', 'B']).edges).toEqual([[0, 1]]);
  });
});

describe('prior knowledge from graph files', () => {
  it('required edges must be acyclic, forbidden ones may not, and no edge may be both', async () => {
    const required = tmp.write('required.dot', 'digraph { A -> B }');
    const forbidden = tmp.write('forbidden.csv', 'from,to\nB,A\nA,B\n');
    const cyclicForbidden = tmp.write('forbidden-cycle.csv', 'from,to\nC,D\nD,C\n');
    expect(await importKnowledgeEdges({ required, forbidden: cyclicForbidden }, columns)).toEqual({
      required: [[0, 1]],
      forbidden: [
        [2, 3],
        [3, 2],
      ],
    });
    await expect(importKnowledgeEdges({ required, forbidden }, columns)).rejects.toThrow(
      /the edge A → B is both required \(.*required\.dot\) and forbidden \(.*forbidden\.csv\)/,
    );
    await expect(importKnowledgeEdges({ required: cyclicForbidden }, columns)).rejects.toThrow(/cycle/);
    expect(await importKnowledgeEdges({}, columns)).toEqual({ required: [], forbidden: [] });
  });
});
