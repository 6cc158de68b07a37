/**
 * Child process for the crash-while-writing tests: writes a session file or an export to the
 * same target again and again (each version complete and different) until it is killed.
 * Usage: node --import tsx writeLoop.ts session|export TARGET
 * Prints "wrote N" after each write, so the parent knows writes are under way.
 */
import { exportRun } from '../../../../src/gflownet/export/renderExport.ts';
import type { RunResults } from '../../../../src/gflownet/export/runDirectory.ts';
import { emptySession, type SessionFile } from '../../../../src/gflownet/session/schema.ts';
import { writeSessionFile } from '../../../../src/gflownet/session/sessionFile.ts';

const [mode, target] = process.argv.slice(2);
const columns = ['A', 'B', 'C', 'D', 'E', 'F'];

/** Version `k`: k-dependent samples so that every version differs. */
function samples(k: number, count: number): Array<{ edges: Array<[string, string]>; logScore: number }> {
  return Array.from({ length: count }, (_, s) => ({
    edges: [[columns[(s + k) % 6]!, columns[(s + k + 1) % 6]!]],
    logScore: -1000 - s - k / 1000,
  }));
}

export function sessionVersion(k: number): SessionFile {
  return {
    ...emptySession(),
    settings: { version: k },
    runs: [{ id: `run-${k}`, method: 'mc3', columns, settings: {}, summary: { version: k }, samples: samples(k, 40_000) }],
  };
}

export function runVersion(k: number): RunResults {
  return {
    source: 'loop',
    columns,
    summary: { version: k },
    samples: samples(k, 150_000),
    marginals: new Float64Array(36),
    marginalsFrom: 'samples.jsonl',
  };
}

if (mode !== undefined && target !== undefined) {
  for (let k = 1; ; k++) {
    if (mode === 'session') await writeSessionFile(target, sessionVersion(k));
    else await exportRun(runVersion(k), 'samples-jsonl', target);
    process.stdout.write(`wrote ${k}\n`);
  }
}
