import { describe, expect, it } from 'vitest';
import { inCliWords } from '../../../src/cli/fieldFlags.ts';
import { DagflowError } from '../../../src/gflownet/core/errors.ts';
import { inWindowWords } from '../../../src/renderer/src/lib/errorText.ts';
import { FIELD_KEYS, renderFields } from '../../../src/shared/fields.ts';

describe('settings named by each front end in its own words', () => {
  const e = new DagflowError(
    'MISSING_VALUES',
    'missing values',
    { file: 's.csv', row: 4, column: 'x', field: 'data.missing' },
    'drop the incomplete rows ({{data.missing=drop}}) or fill them in',
  );

  it('the command line names the flag, with the value', () => {
    expect(inCliWords(e.toUserMessage())).toBe(
      's.csv, row 4, column "x", --missing: missing values — drop the incomplete rows (--missing drop) or fill them in',
    );
  });

  it('the window names the control, with the choice', () => {
    expect(inWindowWords(e.toUserMessage())).toBe(
      's.csv, row 4, column "x", Missing values (on the Import screen): missing values — drop the incomplete rows (Missing values › drop incomplete rows, on the Import screen) or fill them in',
    );
    expect(inWindowWords('is set to discrete but {{score=bge}} needs continuous columns')).toBe(
      'is set to discrete but the BGe score needs continuous columns',
    );
    expect(inWindowWords('{{knowledge.maxParents}}: must be a whole number')).toBe('Maximum parents: must be a whole number');
  });

  it('has words for every key in both front ends, and leaves other braces and plain text alone', () => {
    for (const key of FIELD_KEYS) {
      expect(inCliWords(`{{${key}}}`)).toMatch(/^--[a-z-]+$/);
      expect(inWindowWords(`{{${key}}}`)).not.toMatch(/[{}]|undefined/);
    }
    expect(renderFields('{{not.a.key}} and {x}', { field: () => 'F', setting: () => 'S' })).toBe('{{not.a.key}} and {x}');
    expect(inWindowWords('the file is empty')).toBe('the file is empty');
  });

  it('says the convergence warning, written with flags, with the window controls', () => {
    expect(inWindowWords('Run more iterations (or a longer --time-limit), use more chains, or try --method partition.')).toBe(
      'Run more iterations (or a longer time limit), use more chains, or try partition MCMC.',
    );
  });
});
