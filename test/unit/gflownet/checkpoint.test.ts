import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/gflownet/backend/select.ts';
import { DagflowError } from '../../../src/gflownet/core/errors.ts';
import { buildConstraints } from '../../../src/gflownet/env/constraints.ts';
import { loadCheckpoint, saveCheckpoint, type SamplerState } from '../../../src/gflownet/train/checkpoint.ts';
import { resolveTrainConfig } from '../../../src/gflownet/train/config.ts';
import { Trainer, type TrainerState } from '../../../src/gflownet/train/trainer.ts';
import { randomModularReward } from './helpers.ts';

let root: string;
let first: TrainerState;
let second: TrainerState;
let third: TrainerState;

// Three snapshots of one tiny run, taken once: every test only moves files around.
beforeAll(async () => {
  await selectBackend('wasm');
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'dagflow-ckpt-safe-'));
  const config = resolveTrainConfig({
    seed: 3,
    batchSize: 8,
    environments: 4,
    hidden: 8,
    prefillIterations: 2,
    iterations: 100,
    targetUpdateEvery: 5,
    replayCapacity: 100,
    trajectoryPool: 16,
  });
  const t = new Trainer({ constraints: buildConstraints(3), reward: randomModularReward(3, 7) }, config);
  const snapshot = (iterations: number): TrainerState => {
    for (let i = 0; i < iterations; i++) t.iteration();
    return t.exportState();
  };
  first = snapshot(4);
  second = snapshot(3);
  third = snapshot(2);
  t.dispose();
});

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

let dirs = 0;
function freshDir(): string {
  return path.join(root, `c${dirs++}`);
}

const arraysFiles = (dir: string): string[] =>
  fs
    .readdirSync(dir)
    .filter((n) => /^arrays/.test(n))
    .sort();
const meta = (n: number) => ({ save: n });

function expectState(loaded: SamplerState, expected: TrainerState): void {
  expect(loaded.step).toBe(expected.step);
  expect(loaded.theta).toEqual(expected.theta);
  expect(loaded.adamV).toEqual(expected.adamV);
  expect((loaded as TrainerState).env.logReward).toEqual(expected.env.logReward);
}

/** A pid that is certainly not running: a child that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid!;
}

describe('GFlowNet checkpoint saves', () => {
  it('the snapshots differ (so loading the wrong one would be seen)', () => {
    expect(second.step).toBeGreaterThan(first.step);
    expect(second.theta).not.toEqual(first.theta);
  });

  it('save → save again → load returns the second, and only its arrays file remains', () => {
    const dir = freshDir();
    saveCheckpoint(dir, first, meta(1));
    const [firstArrays] = arraysFiles(dir);
    expect(firstArrays).toMatch(/^arrays-[0-9a-f]{16}\.bin$/);
    saveCheckpoint(dir, second, meta(2));
    const loaded = loadCheckpoint<{ save: number }>(dir);
    expect(loaded.meta.save).toBe(2);
    expectState(loaded.state, second);
    const names = fs.readdirSync(dir);
    expect(arraysFiles(dir)).toHaveLength(1);
    expect(arraysFiles(dir)[0]).not.toBe(firstArrays);
    expect(names.filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('a save killed after its arrays file is written but before checkpoint.json is replaced leaves the first checkpoint intact', () => {
    const dir = freshDir();
    saveCheckpoint(dir, first, meta(1));
    const crash = new Error('killed');
    expect(() =>
      saveCheckpoint(dir, second, meta(2), {
        afterArraysWritten: () => {
          throw crash;
        },
      }),
    ).toThrow(/cannot write the checkpoint: killed/);
    // The new arrays file is on disk, but nothing points to it yet.
    expect(arraysFiles(dir)).toHaveLength(2);
    const loaded = loadCheckpoint<{ save: number }>(dir);
    expect(loaded.meta.save).toBe(1);
    expectState(loaded.state, first);
    // The next complete save takes over and removes the orphan.
    saveCheckpoint(dir, third, meta(3));
    expect(arraysFiles(dir)).toHaveLength(1);
    expectState(loadCheckpoint(dir).state, third);
  });

  it('leftovers of a killed save (orphan arrays file, half-written temporaries) confuse neither a load nor the next save', () => {
    const dir = freshDir();
    saveCheckpoint(dir, first, meta(1));
    const pid = deadPid();
    const strays = [
      `arrays-0123456789abcdef.bin`,
      `.arrays-fedcba9876543210.bin.${pid}.00112233aabb.tmp`,
      `.checkpoint.json.${pid}.a1b2c3d4e5f6.tmp`,
      `checkpoint.json.tmp-${pid}`,
      `arrays.bin.tmp-${pid}`,
    ];
    for (const name of strays) fs.writeFileSync(path.join(dir, name), '{"format":"dagflow-gflownet-checkpoint","vers');
    const loaded = loadCheckpoint<{ save: number }>(dir);
    expect(loaded.meta.save).toBe(1);
    expectState(loaded.state, first);
    saveCheckpoint(dir, second, meta(2));
    expectState(loadCheckpoint(dir).state, second);
    const left = fs.readdirSync(dir);
    for (const name of strays) expect(left).not.toContain(name);
    expect(left.sort()).toEqual([...arraysFiles(dir), 'checkpoint.json'].sort());
  });

  it('a temporary of a writer that is still running is left alone', () => {
    const dir = freshDir();
    saveCheckpoint(dir, first, meta(1));
    // process.ppid (the test runner's parent) is alive for the whole test.
    const live = `.checkpoint.json.${process.ppid}.a1b2c3d4e5f6.tmp`;
    fs.writeFileSync(path.join(dir, live), 'in progress');
    saveCheckpoint(dir, second, meta(2));
    expect(fs.existsSync(path.join(dir, live))).toBe(true);
  });

  it('an old checkpoint (arrays.bin, no file name in checkpoint.json) still loads, with its hash check, and the next save replaces it', () => {
    const dir = freshDir();
    saveCheckpoint(dir, first, meta(1));
    // Turn it into the old layout: arrays.bin, and a json without arrays.file.
    fs.renameSync(path.join(dir, arraysFiles(dir)[0]!), path.join(dir, 'arrays.bin'));
    const jsonFile = path.join(dir, 'checkpoint.json');
    const json = JSON.parse(fs.readFileSync(jsonFile, 'utf8'));
    delete json.arrays.file;
    fs.writeFileSync(jsonFile, JSON.stringify(json));
    expectState(loadCheckpoint(dir).state, first);
    // The oldest checkpoints have no hash at all.
    const { arrays, ...withoutHash } = json;
    fs.writeFileSync(jsonFile, JSON.stringify(withoutHash));
    expectState(loadCheckpoint(dir).state, first);
    // A mismatched arrays.bin is still refused.
    fs.writeFileSync(jsonFile, JSON.stringify({ ...json, arrays: { ...arrays, sha256: '0'.repeat(64) } }));
    expect(() => loadCheckpoint(dir)).toThrow(/arrays.bin does not belong to checkpoint.json/);
    saveCheckpoint(dir, second, meta(2));
    expect(fs.existsSync(path.join(dir, 'arrays.bin'))).toBe(false);
    expect(arraysFiles(dir)).toHaveLength(1);
    expectState(loadCheckpoint(dir).state, second);
  });

  it('a checkpoint.json naming a missing arrays file gives a clear error', () => {
    const dir = freshDir();
    saveCheckpoint(dir, first, meta(1));
    const [name] = arraysFiles(dir);
    fs.rmSync(path.join(dir, name!));
    let error: unknown;
    try {
      loadCheckpoint(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DagflowError);
    expect((error as DagflowError).toUserMessage()).toBe(
      `${dir}: checkpoint.json needs ${name}, which is not in the folder — copy the whole checkpoint folder, or train again`,
    );
  });

  it('a damaged arrays file or a file name outside the pattern is refused', () => {
    const dir = freshDir();
    saveCheckpoint(dir, first, meta(1));
    const [name] = arraysFiles(dir);
    const file = path.join(dir, name!);
    const bytes = fs.readFileSync(file);
    bytes[0] = bytes[0]! ^ 0xff;
    fs.writeFileSync(file, bytes);
    expect(() => loadCheckpoint(dir)).toThrow(
      new RegExp(`${name!.replace('.', '\\.')} does not match the size and SHA-256 that checkpoint\\.json records`),
    );
    const jsonFile = path.join(dir, 'checkpoint.json');
    const json = JSON.parse(fs.readFileSync(jsonFile, 'utf8'));
    json.arrays.file = '../elsewhere/arrays-0123456789abcdef.bin';
    fs.writeFileSync(jsonFile, JSON.stringify(json));
    expect(() => loadCheckpoint(dir)).toThrow(/names an arrays file that dagflow does not write/);
  });
});
