/**
 * Per-column accumulation while a CSV streams in, and the type-detection rule (docs/data.md).
 * Each column keeps its values both as numbers (NaN when missing or not numeric) and as a
 * dictionary of the labels seen, plus the evidence the rule uses: how many values are
 * numeric, whether they are whole numbers, how many distinct values there are, and where
 * the first non-numeric value is (for the error message if the column must be numeric).
 */
import type { VariableKind } from '../core/types.ts';

/** A number as written in a CSV: optional sign, digits with an optional point, optional exponent. */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Beyond this many distinct labels a column keeps no dictionary (it cannot be a discrete variable). */
export const MAX_LEVELS_TRACKED = 10_000;

/** Type rule: a numeric column of whole numbers with at most this many distinct values is discrete. */
export const DEFAULT_MAX_DISCRETE_LEVELS = 10;

export function parseNumber(trimmed: string): number {
  return NUMBER.test(trimmed) ? Number(trimmed) : NaN;
}

export class ColumnAccumulator {
  readonly name: string;
  /** Per data row: the value, NaN when missing or not a number. */
  readonly numbers: number[] = [];
  /** Per data row: index into `labels`, −1 when missing. Dropped when the labels exceed MAX_LEVELS_TRACKED. */
  codes: number[] | undefined = [];
  readonly labels: string[] = [];
  private readonly labelIndex = new Map<string, number>();
  /** 0-based data rows where the value is missing. */
  readonly missingRows: number[] = [];
  present = 0;
  nonNumeric = 0;
  allWhole = true;
  firstNonNumeric: { row: number; value: string } | undefined;

  constructor(name: string) {
    this.name = name;
  }

  /** `row` is the spreadsheet row, for messages. */
  push(trimmed: string, isMissing: boolean, row: number): void {
    const index = this.numbers.length;
    if (isMissing) {
      this.numbers.push(NaN);
      this.codes?.push(-1);
      this.missingRows.push(index);
      return;
    }
    this.present++;
    const value = parseNumber(trimmed);
    this.numbers.push(value);
    if (Number.isNaN(value)) {
      this.nonNumeric++;
      this.firstNonNumeric ??= { row, value: trimmed };
    } else if (!Number.isInteger(value)) this.allWhole = false;
    if (this.codes) {
      let code = this.labelIndex.get(trimmed);
      if (code === undefined) {
        code = this.labels.length;
        if (code >= MAX_LEVELS_TRACKED) {
          this.codes = undefined; // too many labels to be a discrete variable; keep only numbers
          this.labelIndex.clear();
          return;
        }
        this.labels.push(trimmed);
        this.labelIndex.set(trimmed, code);
      }
      this.codes.push(code);
    }
  }

  private firstPresentLabel(): string | undefined {
    if (this.labels.length > 0) return this.labels[0];
    const v = this.numbers.find((x) => !Number.isNaN(x));
    return v === undefined ? undefined : String(v);
  }

  get rows(): number {
    return this.numbers.length;
  }

  evidence(maxDiscreteLevels: number): ColumnEvidence {
    const numeric = this.present > 0 && this.nonNumeric === 0;
    const counted = numeric ? countDistinct(this.numbers, MAX_LEVELS_TRACKED) : { distinct: this.labels.length, capped: !this.codes };
    const distinct = counted.distinct;
    return {
      numeric,
      wholeNumbers: numeric && this.allWhole,
      distinct,
      distinctCapped: counted.capped,
      tooManyLabels: !this.codes,
      distinctLabels: this.codes ? this.labels.length : MAX_LEVELS_TRACKED,
      present: this.present,
      missing: this.missingRows.length,
      nonNumeric: this.nonNumeric,
      constantValue: distinct === 1 ? this.firstPresentLabel() : undefined,
      firstNonNumeric: this.firstNonNumeric,
      detected: detectKind(numeric, numeric && this.allWhole, distinct, maxDiscreteLevels),
    };
  }
}

export interface ColumnEvidence {
  /** Every non-missing value is a number. */
  numeric: boolean;
  wholeNumbers: boolean;
  /** Distinct non-missing values (numbers compared as numbers when the column is numeric). */
  distinct: number;
  /** True when counting stopped at MAX_LEVELS_TRACKED: `distinct` is then a lower bound. */
  distinctCapped: boolean;
  /** More distinct labels than a discrete variable may have (no level dictionary was kept). */
  tooManyLabels: boolean;
  /** Distinct labels as written ("1" and "1.0" are two): the levels a discrete reading would have. */
  distinctLabels: number;
  present: number;
  missing: number;
  /** How many present values are not numbers. */
  nonNumeric: number;
  /** The only value, when there is exactly one distinct value. */
  constantValue?: string;
  firstNonNumeric?: { row: number; value: string };
  detected: VariableKind;
}

/**
 * The rule: a column is discrete when any value is not a number, or when every value is a
 * whole number and there are at most `maxDiscreteLevels` distinct values (codes such as
 * 0/1 or 1/2/3); otherwise it is continuous.
 */
export function detectKind(numeric: boolean, wholeNumbers: boolean, distinct: number, maxDiscreteLevels: number): VariableKind {
  if (!numeric) return 'discrete';
  return wholeNumbers && distinct <= maxDiscreteLevels ? 'discrete' : 'continuous';
}

/** Distinct non-NaN values, counted exactly up to `cap` (the rule only needs to know "more than a few"). */
function countDistinct(values: readonly number[], cap: number): { distinct: number; capped: boolean } {
  const seen = new Set<number>();
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    seen.add(v === 0 ? 0 : v); // −0 and 0 are one value
    if (seen.size > cap) return { distinct: cap, capped: true };
  }
  return { distinct: seen.size, capped: false };
}
