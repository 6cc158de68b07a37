/**
 * Engine messages are shared with the command line and name its flags; in the window the same
 * advice should name the control to use instead.
 */
const FLAG_WORDS: Array<[RegExp, string]> = [
  [/\(--mixed discretize --bins N\)/g, '(Mixed columns › discretize, with the number of bins)'],
  [/\(--mixed exclude-continuous \| exclude-discrete, or --exclude NAMES\)/g, '(Mixed columns › leave out one kind, or untick columns under Use)'],
  [/use --mixed discretize without --score bdeu/g, 'use Mixed columns › discretize with the BGe score'],
  [/\(--mixed ([a-z-]+)\)/g, '(Mixed columns: $1)'],
  [/\(--score bdeu\)/g, '(choose the BDeu score on the Model screen)'],
  [/\(--missing drop\)/g, '(Missing values › drop incomplete rows, on the Import screen)'],
  [/\(--exclude\)/g, '(untick it under Use on the Import screen)'],
  [/--score bdeu/g, 'the BDeu score'],
  [/--score bge/g, 'the BGe score'],
  [/\(--int-column\)/g, '(Intervention column)'],
  [/\(--int\)/g, '(Intervention sidecar file)'],
  [/\(or a longer --time-limit\)/g, '(or a longer time limit)'],
  [/--time-limit/g, 'the time limit'],
  [/try --method partition/g, 'try partition MCMC'],
  [/^--type: /, 'Type menu: '],
  [/^--int-column: /, 'Intervention column: '],
  [/^--int: /, 'Intervention sidecar file: '],
  [/^--exclude: /, ''],
];

export function inWindowWords(message: string): string {
  let out = message;
  for (const [pattern, words] of FLAG_WORDS) out = out.replace(pattern, words);
  return out;
}
