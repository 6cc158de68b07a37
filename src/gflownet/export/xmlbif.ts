/**
 * XMLBIF 0.3 (the XML form of BIF: Weka, pgmpy's XMLBIFReader, the JavaBayes family):
 *
 *   <BIF VERSION="0.3"><NETWORK><NAME>…</NAME>
 *     <VARIABLE TYPE="nature"><NAME>B</NAME><OUTCOME>yes</OUTCOME><OUTCOME>no</OUTCOME></VARIABLE>
 *     <DEFINITION><FOR>B</FOR><GIVEN>A</GIVEN><TABLE>0.25 0.75 0.9 0.1</TABLE></DEFINITION>
 *   </NETWORK></BIF>
 *
 * The TABLE lists, for each configuration of the GIVEN variables (the last one changing fastest),
 * the probabilities of the FOR variable's outcomes in order — exactly the layout of
 * DiscreteNetwork's tables. Any name is written, XML-escaped. `readXmlbif` reads it back with
 * the strict XML reader of graphio/xml.ts (no DOCTYPE, no entity expansion).
 */
import { DagflowError } from '../core/errors.ts';
import { escapeXml, parseXml, type XmlElement } from '../graphio/xml.ts';
import { permuteParents } from './bif.ts';
import { checkNetwork, formatProbability, type DiscreteNetwork } from './consensusNetwork.ts';

export function writeXmlbif(net: DiscreteNetwork): string {
  checkNetwork(net, 'the network to write', 1e-9);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!-- written by DAGFlow: the consensus DAG with BDeu posterior-mean conditional tables -->',
    '<BIF VERSION="0.3">',
    '<NETWORK>',
    `<NAME>${escapeXml(net.name)}</NAME>`,
  ];
  for (const v of net.variables) {
    lines.push('<VARIABLE TYPE="nature">', `  <NAME>${escapeXml(v.name)}</NAME>`);
    for (const l of v.levels) lines.push(`  <OUTCOME>${escapeXml(l)}</OUTCOME>`);
    lines.push('</VARIABLE>');
  }
  for (const v of net.variables) {
    lines.push('<DEFINITION>', `  <FOR>${escapeXml(v.name)}</FOR>`);
    for (const p of v.parents) lines.push(`  <GIVEN>${escapeXml(net.variables[p]!.name)}</GIVEN>`);
    lines.push(`  <TABLE>${Array.from(v.table, formatProbability).join(' ')}</TABLE>`, '</DEFINITION>');
  }
  lines.push('</NETWORK>', '</BIF>');
  return lines.join('\n') + '\n';
}

function children(e: XmlElement, local: string): XmlElement[] {
  return e.children.filter((c) => c.local.toUpperCase() === local);
}

export function readXmlbif(text: string, file = 'network.xml'): DiscreteNetwork {
  const root = parseXml(text, file);
  const fail = (what: string, line: number): never => {
    throw new DagflowError('BAD_GRAPH', `${what} in an XMLBIF file (line ${line})`, { file });
  };
  if (root.local.toUpperCase() !== 'BIF') fail(`the root element is <${root.name}>, not <BIF>`, root.line);
  const network = children(root, 'NETWORK')[0] ?? fail('no <NETWORK>', root.line);
  const nameOf = (e: XmlElement) => (children(e, 'NAME')[0] ?? fail('a <VARIABLE> without <NAME>', e.line)).text.trim();
  const variables: DiscreteNetwork['variables'] = children(network, 'VARIABLE').map((e) => ({
    name: nameOf(e),
    levels: children(e, 'OUTCOME').map((o) => o.text.trim()),
    parents: [],
    table: new Float64Array(0),
  }));
  const byName = new Map(variables.map((v, k) => [v.name, k]));
  if (byName.size !== variables.length) fail('a variable is declared twice', network.line);
  for (const def of children(network, 'DEFINITION')) {
    const child = (children(def, 'FOR')[0] ?? fail('a <DEFINITION> without <FOR>', def.line)).text.trim();
    const j = byName.get(child) ?? fail(`a <DEFINITION> for an undeclared variable ${child}`, def.line);
    const parents = children(def, 'GIVEN').map(
      (g) => byName.get(g.text.trim()) ?? fail(`${child} is given an undeclared ${g.text.trim()}`, g.line),
    );
    const tableText = (children(def, 'TABLE')[0] ?? fail(`the definition of ${child} has no <TABLE>`, def.line)).text.trim();
    const values = tableText === '' ? [] : tableText.split(/\s+/).map(Number);
    if (values.some((x) => !Number.isFinite(x))) fail(`the table of ${child} holds something other than numbers`, def.line);
    const counts = parents.map((i) => variables[i]!.levels.length);
    const r = variables[j]!.levels.length;
    if (values.length !== counts.reduce((a, b) => a * b, r)) fail(`the table of ${child} has ${values.length} numbers`, def.line);
    const order = parents.map((_, m) => m).sort((a, b) => parents[a]! - parents[b]!);
    variables[j]!.parents = order.map((m) => parents[m]!);
    variables[j]!.table = permuteParents(Float64Array.from(values), counts, order, r);
  }
  const net = { name: (children(network, 'NAME')[0]?.text ?? '').trim(), variables };
  checkNetwork(net, file, 1e-9);
  return net;
}
