import { describe, expect, it } from 'vitest';
import { formatPosteriorSamples, parsePosteriorSamples } from '../../../src/gflownet/samples/format.ts';

describe('importance weights in samples.jsonl', () => {
  it('round-trip when present and stay absent otherwise', () => {
    const records = [
      { edges: [['A', 'B']] as Array<[string, string]>, logScore: -10.5, logWeight: -0.25 },
      { edges: [] as Array<[string, string]>, logScore: -11 },
    ];
    const text = formatPosteriorSamples(records);
    expect(text.split('\n')[1]).toBe('{"edges":[],"logScore":-11}');
    expect(parsePosteriorSamples(text, 'x.jsonl')).toEqual(records);
  });

  it('refuses a weight that is not a finite number', () => {
    expect(() => parsePosteriorSamples('{"edges":[],"logScore":-1,"logWeight":"heavy"}\n', 'x.jsonl')).toThrow(
      /"logWeight" must be a finite number/,
    );
    expect(() => parsePosteriorSamples('{"edges":[],"logScore":-1,"logWeight":null}\n', 'x.jsonl')).toThrow(/line 1/);
  });
});
