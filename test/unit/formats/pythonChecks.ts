/**
 * Independent readers for the tests, run in python3: ElementTree (a real XML parser) for
 * GraphML, and a line grammar of exactly the DOT subset dot.ts promises to write.
 */
import { python } from './fixtures.ts';

/** Each script reads a JSON list of documents on stdin and prints a JSON list of results: one python start for many files. */
const GRAPHML_SCRIPT = String.raw`
import sys, json, xml.etree.ElementTree as ET
ns = {'g': 'http://graphml.graphdrawing.org/xmlns'}
def parse(doc):
  root = ET.fromstring(doc.encode('utf-8'))
  assert root.tag == '{http://graphml.graphdrawing.org/xmlns}graphml', root.tag
  keys = [dict(k.attrib) for k in root.findall('g:key', ns)]
  graphs = root.findall('g:graph', ns)
  assert len(graphs) == 1
  g = graphs[0]
  prob_key = [k['id'] for k in keys if k.get('attr.name') == 'probability' and k.get('for') == 'edge']
  edges = []
  for e in g.findall('g:edge', ns):
      p = None
      for dnode in e.findall('g:data', ns):
          if prob_key and dnode.get('key') == prob_key[0]:
              p = float(dnode.text)
      edges.append([e.get('source'), e.get('target'), p])
  return {'edgedefault': g.get('edgedefault'), 'keys': keys, 'nodes': [n.get('id') for n in g.findall('g:node', ns)], 'edges': edges}
print(json.dumps([parse(doc) for doc in json.load(sys.stdin)]))
`;

export interface PythonGraphml {
  edgedefault: string;
  keys: Array<Record<string, string>>;
  nodes: string[];
  edges: Array<[string, string, number | null]>;
}

export function parseGraphmlInPython(texts: readonly string[]): PythonGraphml[] {
  return JSON.parse(python(GRAPHML_SCRIPT, JSON.stringify(texts))) as PythonGraphml[];
}

const DOT_SCRIPT = String.raw`
import sys, re, json
Q = r'"((?:[^"\\\n]|\\.)*)"'
NUM = r'-?[0-9]+(?:\.[0-9]+)?'
node_re = re.compile(r'  ' + Q + ';')
edge_re = re.compile(r'  ' + Q + ' -> ' + Q + r'(?: \[probability=(' + NUM + r'), label="(' + NUM + r')", penwidth=(' + NUM + r')\])?;')
def unq(s):
    return re.sub(r'\\(.)', lambda m: {'n': '\n'}.get(m.group(1), m.group(1)), s)
def parse(text):
    assert text.endswith('\n'), 'no final newline'
    lines = text[:-1].split('\n')
    k = 0
    while lines[k].startswith('//'):
        k += 1
    assert re.fullmatch(r'digraph ' + Q + r' \{', lines[k]), 'header: ' + lines[k]
    k += 1
    assert re.fullmatch(r'  graph \[rankdir="TB"(?:, label=' + Q + r')?\];', lines[k]), 'graph attributes: ' + lines[k]
    k += 1
    assert lines[k] == '  node [shape="ellipse"];', 'node defaults: ' + lines[k]
    k += 1
    nodes, edges = [], []
    while k < len(lines) - 1:
        m = edge_re.fullmatch(lines[k])
        if m:
            edges.append([unq(m.group(1)), unq(m.group(2)), float(m.group(3)) if m.group(3) else None])
        else:
            m = node_re.fullmatch(lines[k])
            assert m and not edges, 'line %d does not match the grammar: %r' % (k + 1, lines[k])
            nodes.append(unq(m.group(1)))
        k += 1
    assert lines[-1] == '}', 'last line: ' + lines[-1]
    return {'nodes': nodes, 'edges': edges}
print(json.dumps([parse(doc) for doc in json.load(sys.stdin)]))
`;

export interface PythonDot {
  nodes: string[];
  edges: Array<[string, string, number | null]>;
}

export function parseDotInPython(texts: readonly string[]): PythonDot[] {
  return JSON.parse(python(DOT_SCRIPT, JSON.stringify(texts))) as PythonDot[];
}

const PNG_SCRIPT = String.raw`
import sys, struct, zlib, json
payload = json.loads(sys.stdin.buffer.readline())
data = sys.stdin.buffer.read()
assert data[:8] == b'\x89PNG\r\n\x1a\n', 'signature'
pos, chunks, idat = 8, [], b''
while pos < len(data):
    (length,) = struct.unpack('>I', data[pos:pos+4])
    ctype = data[pos+4:pos+8]
    body = data[pos+8:pos+8+length]
    (crc,) = struct.unpack('>I', data[pos+8+length:pos+12+length])
    assert zlib.crc32(ctype + body) & 0xffffffff == crc, 'bad CRC in ' + ctype.decode()
    chunks.append(ctype.decode())
    if ctype == b'IHDR':
        w, h, depth, colour, comp, filt, inter = struct.unpack('>IIBBBBB', body)
    if ctype == b'IDAT':
        idat += body
    pos += 12 + length
assert depth == 8 and colour in (2, 6) and inter == 0, 'only 8-bit RGB/RGBA, not interlaced'
bpp = 3 if colour == 2 else 4
stride = w * bpp
raw = zlib.decompress(idat)
assert len(raw) == (stride + 1) * h, 'pixel data size'
def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else (b if pb <= pc else c)
rows, prev = [], bytearray(stride)
for y in range(h):
    f = raw[y * (stride + 1)]
    line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        line[i] = (line[i] + (0, a, b, (a + b) // 2, paeth(a, b, c))[f]) & 0xff
    rows.append(line)
    prev = line
def pixel(x, y):
    return list(rows[y][x * bpp:x * bpp + 3])
dark = [sum(1 for y in range(y0, y1) for x in range(x0, x1) if sum(pixel(x, y)) < 3 * 96) for (x0, y0, x1, y1) in payload['boxes']]
print(json.dumps({'chunks': chunks, 'width': w, 'height': h, 'depth': depth, 'colour': colour, 'pixels': [pixel(x, y) for (x, y) in payload['points']], 'dark': dark}))
`;

export interface PythonPng {
  chunks: string[];
  width: number;
  height: number;
  depth: number;
  colour: number;
  /** RGB of each asked point. */
  pixels: Array<[number, number, number]>;
  /** Dark pixels (mean channel below 96) in each asked box [x0, y0, x1, y1), half-open. */
  dark: number[];
}

/** Decodes the PNG in python (zlib plus the five PNG row filters) and reads the asked pixels. */
export function checkPngInPython(
  png: Uint8Array,
  ask: { points?: Array<[number, number]>; boxes?: Array<[number, number, number, number]> } = {},
): PythonPng {
  const header = new TextEncoder().encode(JSON.stringify({ points: ask.points ?? [], boxes: ask.boxes ?? [] }) + '\n');
  const input = new Uint8Array(header.length + png.length);
  input.set(header);
  input.set(png, header.length);
  return JSON.parse(python(PNG_SCRIPT, input)) as PythonPng;
}
