/**
 * Deciding, from the evidence of each column, which columns become variables and of which
 * kind: user overrides, the score's demands (BDeu reads every column as discrete, BGe needs
 * numbers), constant columns, and the explicit choice mixed data requires. Nothing converts
 * silently: every decision is recorded in the column report and every conflict is an error.
 */
import { DagflowError } from '../core/errors.ts';
import type { VariableKind } from '../core/types.ts';
import { MAX_LEVELS_TRACKED, type ColumnEvidence } from './columns.ts';
import { quoteUserText } from '../core/userText.ts';

export type ScoreChoice = 'auto' | 'bge' | 'bdeu';
export type MixedPolicy = 'refuse' | 'discretize' | 'exclude-continuous' | 'exclude-discrete';

export interface ColumnPlan {
  name: string;
  evidence: ColumnEvidence;
  role: 'variable' | 'excluded' | 'interventions';
  /** For variables: the kind read from the file (before any discretization). */
  kind?: VariableKind;
  /** Variables only: continuous values binned into levels for BDeu. */
  discretize?: boolean;
  /** Why the column is excluded or how its kind was decided. */
  reason: string;
}

export interface PlanInput {
  file: string;
  names: readonly string[];
  evidence: readonly ColumnEvidence[];
  score: ScoreChoice;
  columnTypes: Readonly<Record<string, VariableKind>>;
  exclude: ReadonlySet<string>;
  interventionColumn?: string;
  mixed: MixedPolicy;
}

export function planColumns(input: PlanInput): { plans: ColumnPlan[]; warnings: string[] } {
  const { file } = input;
  const warnings: string[] = [];
  const plans: ColumnPlan[] = input.names.map((name, c) => {
    const evidence = input.evidence[c]!;
    if (name === input.interventionColumn)
      return { name, evidence, role: 'interventions', reason: 'intervention targets ({{data.interventionColumn}})' };
    if (input.exclude.has(name)) return { name, evidence, role: 'excluded', reason: 'excluded by the user' };
    // Under --score bdeu the labels as written are the levels; otherwise values count as numbers.
    if ((input.score === 'bdeu' ? evidence.distinctLabels : evidence.distinct) <= 1) {
      const what = evidence.present === 0 ? 'every value is missing' : `every value is ${quoteUserText(evidence.constantValue ?? '')}`;
      warnings.push(`column ${quoteUserText(name)} is constant (${what}) and was excluded`);
      return { name, evidence, role: 'excluded', reason: `constant: ${what}` };
    }
    const { kind, reason } = decideKind(name, evidence, input.score, input.columnTypes[name], file);
    if (kind === 'discrete' && input.score === 'auto' && looksLikeDecimalComma(evidence.firstNonNumeric?.value)) {
      warnings.push(
        `column ${quoteUserText(name)} looks like numbers written with decimal commas (${quoteUserText(evidence.firstNonNumeric!.value)} at row ${evidence.firstNonNumeric!.row}) and is read as discrete labels; write decimal points to read it as numbers`,
      );
    }
    return { name, evidence, role: 'variable', kind, reason };
  });

  const variables = plans.filter((p) => p.role === 'variable');
  const continuous = variables.filter((p) => p.kind === 'continuous');
  const discrete = variables.filter((p) => p.kind === 'discrete');
  if (continuous.length > 0 && discrete.length > 0) {
    switch (input.mixed) {
      case 'refuse': {
        // A numeric column made discrete by a few stray cells (a "#REF!" in row 48,211) is the usual cause: point at the cell.
        const stray = discrete.find((p) => !p.evidence.numeric && p.evidence.nonNumeric < p.evidence.present && p.evidence.firstNonNumeric);
        const cell = stray?.evidence.firstNonNumeric;
        throw new DagflowError(
          'MIXED_TYPES',
          `the data mixes ${continuous.length} continuous column(s) (${list(continuous)}) and ${discrete.length} discrete column(s) (${list(discrete)})` +
            (stray && cell
              ? `; column ${quoteUserText(stray.name)} holds numbers except ${stray.evidence.nonNumeric} value(s), the first ${quoteUserText(cell.value)} at row ${cell.row}`
              : ''),
          stray && cell ? { file, row: cell.row, column: stray.name } : { file },
          `${stray ? 'fix or blank the stray cell, or ' : ''}choose one: discretize the continuous columns ({{data.mixed=discretize}}, with {{data.bins}}), exclude one kind ({{data.mixed=exclude-continuous}} or {{data.mixed=exclude-discrete}}, or {{data.exclude}}), or read every column as discrete ({{score=bdeu}})`,
        );
      }
      case 'discretize':
        for (const p of continuous) {
          p.discretize = true;
          p.reason += '; discretized into quantile bins (mixed data)';
        }
        break;
      case 'exclude-continuous':
      case 'exclude-discrete': {
        const dropped = input.mixed === 'exclude-continuous' ? continuous : discrete;
        for (const p of dropped) {
          p.role = 'excluded';
          p.reason = `excluded: ${p.kind} column in mixed data ({{data.mixed=${input.mixed}}})`;
          delete p.kind;
        }
        warnings.push(
          `excluded ${dropped.length} ${input.mixed === 'exclude-continuous' ? 'continuous' : 'discrete'} column(s) of mixed data: ${list(dropped)}`,
        );
        break;
      }
    }
  }
  return { plans, warnings };
}

function decideKind(
  name: string,
  ev: ColumnEvidence,
  score: ScoreChoice,
  override: VariableKind | undefined,
  file: string,
): { kind: VariableKind; reason: string } {
  const evidenceText = describeEvidence(ev);
  if (score === 'bdeu') {
    if (override === 'continuous') {
      throw new DagflowError(
        'BAD_OPTION',
        `column ${quoteUserText(name)} is set to continuous but {{score=bdeu}} reads every column as discrete`,
        { column: name, field: 'data.columnTypes' },
        'drop the override or use {{data.mixed=discretize}} without {{score=bdeu}}',
      );
    }
    if (ev.tooManyLabels) throw tooManyLevels(name, file);
    return { kind: 'discrete', reason: `discrete: {{score=bdeu}} reads every column as discrete (${evidenceText})` };
  }
  if (score === 'bge') {
    if (override === 'discrete') {
      throw new DagflowError(
        'BAD_OPTION',
        `column ${quoteUserText(name)} is set to discrete but {{score=bge}} needs continuous columns`,
        { column: name, field: 'data.columnTypes' },
        'drop the override or use {{score=bdeu}}',
      );
    }
    if (!ev.numeric)
      throw nonNumeric(name, ev, file, 'BGe needs numbers in every column: exclude the column ({{data.exclude}}) or use {{score=bdeu}}');
    return { kind: 'continuous', reason: `continuous: {{score=bge}} (${evidenceText})` };
  }
  if (override === 'continuous') {
    if (!ev.numeric)
      throw nonNumeric(name, ev, file, `the column was set to continuous; fix the value, mark it missing, or set the column to discrete`);
    return { kind: 'continuous', reason: `continuous: set by the user (${evidenceText})` };
  }
  if (override === 'discrete') {
    if (ev.tooManyLabels) throw tooManyLevels(name, file);
    return { kind: 'discrete', reason: `discrete: set by the user (${evidenceText})` };
  }
  if (ev.detected === 'discrete' && ev.tooManyLabels) {
    // Thousands of distinct values that are numbers but for a few cells: a measurement column with stray text, not an identifier.
    if (ev.firstNonNumeric && ev.nonNumeric < ev.present / 2) {
      throw nonNumeric(
        name,
        ev,
        file,
        'the other values are numbers: fix or blank the cell (or list its text with {{data.missingTokens}}), or exclude the column',
      );
    }
    throw tooManyLevels(name, file);
  }
  return { kind: ev.detected, reason: `${ev.detected}: detected (${evidenceText})` };
}

export function describeEvidence(ev: ColumnEvidence): string {
  const distinct = `${ev.distinctCapped ? 'more than ' : ''}${ev.distinct} distinct value${ev.distinct === 1 ? '' : 's'}`;
  if (!ev.numeric) return `not numeric, ${distinct}${ev.firstNonNumeric ? `, e.g. ${quoteUserText(ev.firstNonNumeric.value)}` : ''}`;
  return `numeric, ${ev.wholeNumbers ? 'whole numbers, ' : ''}${distinct}`;
}

/** "1,5" or "-0,25": a number from a spreadsheet in a locale with decimal commas. */
function looksLikeDecimalComma(value: string | undefined): boolean {
  return value !== undefined && /^[+-]?\d*,\d+$/.test(value);
}

function nonNumeric(name: string, ev: ColumnEvidence, file: string, hint: string): DagflowError {
  const first = ev.firstNonNumeric;
  if (looksLikeDecimalComma(first?.value))
    hint = `the file seems to use decimal commas: write decimal points (1.5, not 1,5); otherwise ${hint}`;
  return new DagflowError(
    'NON_NUMERIC',
    `${quoteUserText(first?.value ?? '')} is not a number (${ev.nonNumeric} non-numeric value${ev.nonNumeric === 1 ? '' : 's'} in this column)`,
    { file, row: first?.row, column: name },
    hint,
  );
}

function tooManyLevels(name: string, file: string): DagflowError {
  return new DagflowError(
    'TOO_LARGE',
    `the column has more than ${MAX_LEVELS_TRACKED} distinct values, too many for a discrete variable`,
    { file, column: name },
    'exclude the column (an identifier?) or read it as continuous',
  );
}

function list(plans: readonly ColumnPlan[]): string {
  const names = plans.map((p) => p.name);
  return names.length > 8 ? `${names.slice(0, 8).join(', ')}, …` : names.join(', ');
}
