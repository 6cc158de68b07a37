/**
 * A 5×8 bitmap font (printable ASCII; 7 rows above the baseline plus one descender row) for
 * the PNG export, which has no text renderer to call. Each glyph is 8 rows written as two hex
 * digits, bit 0x10 the leftmost of the 5 columns. Characters outside the table draw as a box.
 */
const GLYPHS: Record<string, string> = {
  ' ': '0000000000000000', '!': '0404040404000400', '"': '0a0a000000000000', '#': '0a0a1f0a1f0a0a00',
  $: '040f140e051e0400', '%': '1819020408130300', '&': '0c12140815120d00', "'": '0404080000000000',
  '(': '0204080808040200', ')': '0804020202040800', '*': '0004150e15040000', '+': '0004041f04040000',
  ',': '000000000c040800', '-': '0000001f00000000', '.': '00000000000c0c00', '/': '0101020408101000',
  '0': '0e11131519110e00', '1': '040c040404040e00', '2': '0e11010204081f00', '3': '1f02040201110e00',
  '4': '02060a121f020200', '5': '1f101e0101110e00', '6': '0608101e11110e00', '7': '1f01020408080800',
  '8': '0e11110e11110e00', '9': '0e11110f01020c00', ':': '000c0c000c0c0000', ';': '000c0c000c040800',
  '<': '0204081008040200', '=': '00001f001f000000', '>': '0804020102040800', '?': '0e11010204000400',
  '@': '0e11171517100e00', A: '0e1111111f111100', B: '1e11111e11111e00', C: '0e11101010110e00',
  D: '1c12111111121c00', E: '1f10101e10101f00', F: '1f10101e10101000', G: '0e11101711110f00',
  H: '1111111f11111100', I: '0e04040404040e00', J: '0702020202120c00', K: '1112141814121100',
  L: '1010101010101f00', M: '111b151511111100', N: '1111191513111100', O: '0e11111111110e00',
  P: '1e11111e10101000', Q: '0e11111115120d00', R: '1e11111e14121100', S: '0f10100e01011e00',
  T: '1f04040404040400', U: '1111111111110e00', V: '11111111110a0400', W: '1111111515150a00',
  X: '11110a040a111100', Y: '1111110a04040400', Z: '1f01020408101f00', '[': '0e08080808080e00',
  '\\': '1010080402010100', ']': '0e02020202020e00', '^': '040a110000000000', _: '0000000000001f00',
  '`': '0804000000000000', a: '00000e010f110f00', b: '1010161911111e00', c: '00000e1010110e00',
  d: '01010d1311110f00', e: '00000e111f100e00', f: '0609081c08080800', g: '00000f11110f010e',
  h: '1010161911111100', i: '04000c0404040e00', j: '020006020202120c', k: '1010121418141200',
  l: '0c04040404040e00', m: '00001a1515111100', n: '0000161911111100', o: '00000e1111110e00',
  p: '00001e11111e1010', q: '00000f11110f0101', r: '0000161910101000', s: '00000f100e011e00',
  t: '08081c0808090600', u: '0000111111130d00', v: '00001111110a0400', w: '0000111115150a00',
  x: '0000110a040a1100', y: '00001111110f010e', z: '00001f0204081f00', '{': '0204040804040200',
  '|': '0404040404040400', '}': '0804040204040800', '~': '0000081502000000',
};
const MISSING = '1f11111111111f00';

/** Every character the table draws (for tests). */
export const FONT_CHARACTERS: readonly string[] = Object.keys(GLYPHS);

export const GLYPH_WIDTH = 5;
export const GLYPH_HEIGHT = 8;
/** Horizontal distance from one character to the next, in font pixels. */
export const GLYPH_ADVANCE = 6;

/** Row bit masks of one character (8 rows, bit 0x10 = leftmost column). */
export function glyphRows(ch: string): number[] {
  const hex = GLYPHS[ch] ?? MISSING;
  if (!/^[0-9a-f]{16}$/.test(hex)) throw new Error(`font table: glyph ${JSON.stringify(ch)} is not 16 hex digits`);
  const rows: number[] = [];
  for (let r = 0; r < GLYPH_HEIGHT; r++) rows.push(parseInt(hex.slice(2 * r, 2 * r + 2), 16));
  return rows;
}

export function textWidth(text: string, scale: number): number {
  return text.length === 0 ? 0 : ([...text].length * GLYPH_ADVANCE - 1) * scale;
}
