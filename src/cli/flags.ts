import { DagflowError } from '../gflownet/core/errors.ts';
import { quoteUserText } from '../gflownet/core/userText.ts';

/**
 * A small, strict flag parser for the `dagflow` subcommands: every flag is declared with its
 * type and range, unknown flags and out-of-range values are errors that name the flag.
 */
export type FlagSpec =
  | { type: 'string'; help: string; default?: string; required?: boolean; valueName?: string }
  | { type: 'enum'; values: readonly string[]; help: string; default?: string; required?: boolean }
  | {
      type: 'number';
      help: string;
      default?: number;
      required?: boolean;
      min?: number;
      max?: number;
      exclusiveMin?: boolean;
      integer?: boolean;
    }
  | { type: 'boolean'; help: string; default?: boolean; negatable?: boolean };

export type FlagSpecs = Record<string, FlagSpec>;

type ValueOf<S extends FlagSpec> = S extends { type: 'boolean' } ? boolean : S extends { type: 'number' } ? number : string;

export type ParsedFlags<S extends FlagSpecs> = {
  [K in keyof S]: S[K] extends { default: unknown } | { required: true } | { type: 'boolean' } ? ValueOf<S[K]> : ValueOf<S[K]> | undefined;
};

/**
 * The spec of flag `name` among the table's own entries only: `--constructor` or `--toString`
 * must be unknown options, not Object.prototype members.
 */
function ownSpec(specs: FlagSpecs, name: string): FlagSpec | undefined {
  return Object.hasOwn(specs, name) ? specs[name] : undefined;
}

export function parseFlags<S extends FlagSpecs>(argv: readonly string[], specs: S): ParsedFlags<S> {
  // No prototype: a value stored under a user-typed name can never reach Object.prototype.
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [name, spec] of Object.entries(specs)) if ('default' in spec && spec.default !== undefined) out[name] = spec.default;
  for (const [name, spec] of Object.entries(specs)) if (spec.type === 'boolean' && out[name] === undefined) out[name] = false;

  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (!token.startsWith('--')) {
      throw new DagflowError(
        'BAD_OPTION',
        `unexpected argument ${quoteUserText(token)}`,
        {},
        'every option is written --name value; see --help',
      );
    }
    let name = token.slice(2);
    let inline: string | undefined;
    const eq = name.indexOf('=');
    if (eq >= 0) {
      inline = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    const spec = ownSpec(specs, name);
    if (!spec && name.startsWith('no-')) {
      const positive = ownSpec(specs, name.slice(3));
      if (positive?.type === 'boolean' && positive.negatable) {
        out[name.slice(3)] = false;
        continue;
      }
    }
    if (!spec) {
      throw new DagflowError('BAD_OPTION', `unknown option`, { flag: `--${name}` }, 'see --help for the options this command takes');
    }
    if (spec.type === 'boolean') {
      if (inline !== undefined) {
        if (inline !== 'true' && inline !== 'false')
          throw new DagflowError('BAD_OPTION', `expects true or false, got ${quoteUserText(inline)}`, { flag: `--${name}` });
        out[name] = inline === 'true';
      } else out[name] = true;
      continue;
    }
    const raw = inline ?? argv[++i];
    if (raw === undefined || (inline === undefined && raw.startsWith('--') && !/^--?\d/.test(raw))) {
      throw new DagflowError('BAD_OPTION', 'needs a value', { flag: `--${name}` });
    }
    out[name] = convert(name, spec, raw);
  }
  for (const [name, spec] of Object.entries(specs)) {
    if ('required' in spec && spec.required && out[name] === undefined) {
      throw new DagflowError('BAD_OPTION', 'is required', { flag: `--${name}` }, `see --help`);
    }
  }
  return out as ParsedFlags<S>;
}

function convert(name: string, spec: Exclude<FlagSpec, { type: 'boolean' }>, raw: string): string | number {
  const flag = `--${name}`;
  switch (spec.type) {
    case 'string':
      if (raw === '') throw new DagflowError('BAD_OPTION', 'needs a non-empty value', { flag });
      return raw;
    case 'enum':
      if (!spec.values.includes(raw))
        throw new DagflowError('BAD_OPTION', `must be one of ${spec.values.join(', ')}; got ${quoteUserText(raw)}`, { flag });
      return raw;
    case 'number': {
      const trimmed = raw.trim();
      const value = trimmed === '' ? NaN : Number(trimmed);
      if (!Number.isFinite(value)) throw new DagflowError('BAD_OPTION', `expects a number, got ${quoteUserText(raw)}`, { flag });
      if (spec.integer && !Number.isInteger(value))
        throw new DagflowError('BAD_OPTION', `expects a whole number, got ${quoteUserText(raw)}`, { flag });
      if (spec.min !== undefined && (spec.exclusiveMin ? value <= spec.min : value < spec.min)) {
        throw new DagflowError('BAD_OPTION', `must be ${spec.exclusiveMin ? '>' : '≥'} ${spec.min}, got ${raw}`, { flag });
      }
      if (spec.max !== undefined && value > spec.max) throw new DagflowError('BAD_OPTION', `must be ≤ ${spec.max}, got ${raw}`, { flag });
      return value;
    }
  }
}

/** The --help text of a command from its flag specs. */
export function formatHelp(usage: string, summary: string, specs: FlagSpecs): string {
  const lines = [`Usage: ${usage}`, '', summary, '', 'Options:'];
  const entries = Object.entries(specs).map(([name, spec]) => {
    let left = `--${name}`;
    if (spec.type === 'boolean') left += spec.negatable ? ` | --no-${name}` : '';
    else if (spec.type === 'enum') left += ` ${spec.values.join('|')}`;
    else if (spec.type === 'number') left += spec.integer ? ' N' : ' X';
    else left += ` ${spec.valueName ?? 'VALUE'}`;
    const dflt = 'default' in spec && spec.default !== undefined && spec.type !== 'boolean' ? ` (default ${spec.default})` : '';
    return [left, spec.help + dflt] as const;
  });
  const width = Math.min(36, Math.max(...entries.map(([l]) => l.length)) + 2);
  // An option longer than the column gets its own line, so it never runs into its help text.
  for (const [left, right] of entries)
    lines.push(left.length + 2 > width ? `  ${left}\n  ${''.padEnd(width)}${right}` : `  ${left.padEnd(width)}${right}`);
  lines.push(`  ${'--help'.padEnd(width)}show this help`);
  return lines.join('\n');
}
