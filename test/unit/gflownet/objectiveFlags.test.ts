import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../../../src/gflownet/train/checkpoint.ts';
import type { TrainerState } from '../../../src/gflownet/train/trainer.ts';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const csv = path.join(root, 'test', 'fixtures', 'reference', 'lingauss_d5_n100.csv');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dagflow-objective-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function dagflow(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(root, 'bin', 'dagflow.mjs'), ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const small = ['--iterations', '30', '--batch-size', '8', '--environments', '8', '--hidden', '16', '--prefill', '5', '--backend', 'wasm'];

describe('dagflow train --objective fm --intrinsic rnd', () => {
  it('trains, records the objective and the intrinsic settings in summary.json, and checkpoints the RND state', () => {
    const out = path.join(tmp, 'fm');
    const args = ['--data', csv, '--no-standardize', '--samples', '10', ...small, '--objective', 'fm', '--intrinsic', 'rnd'];
    const r = dagflow('train', ...args, '--intrinsic-weight', '0.5', '--intrinsic-decay', '0', '--out', out, '--json');
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ objective: 'fm', intrinsic: { kind: 'rnd', weight: 0.5, decay: 0 }, iterations: 30 });
    const state = loadCheckpoint(path.join(out, 'checkpoint')).state as TrainerState;
    expect(state.config).toMatchObject({ objective: 'fm', intrinsic: 'rnd', intrinsicWeight: 0.5, intrinsicDecay: 0 });
    expect(state.intrinsic!.rnd.adamT).toBe(25);
  });

  it('refuses an unknown intrinsic reward or an out-of-range weight, naming the flag', () => {
    const bad = dagflow('train', '--data', csv, '--out', path.join(tmp, 'bad'), '--intrinsic', 'icm');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--intrinsic');
    const negative = dagflow('train', '--data', csv, '--out', path.join(tmp, 'bad2'), '--intrinsic', 'rnd', '--intrinsic-decay', '3');
    expect(negative.code).toBe(2);
    expect(negative.stderr).toContain('--intrinsic-decay');
  });
});
