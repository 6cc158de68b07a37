/**
 * Faults in running jobs, on the real job host and job kinds: a training worker killed mid-run
 * (the run fails with a message, the other runs and the app keep going, the session keeps
 * everything up to the last checkpoint), and cancels during sampling, MCMC and exact
 * enumeration that must stop within a second by themselves (the host's forced termination is
 * set far beyond that) and leave no worker thread behind.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JobHost } from '../../../src/jobs/host.ts';
import { SessionStore } from '../../../src/app/session/sessionStore.ts';
import { readCheckpointFolder, readSessionFile, writeCheckpointFolder } from '../../../src/gflownet/session/sessionFile.ts';
import { loadCheckpoint } from '../../../src/gflownet/train/checkpoint.ts';
import { largeCsv } from './support/generated.ts';
import { continuousProblem, killWorker, nextEvent, progressWhere, settled, waitFor } from './support/jobs.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'dagflow-faults-'));
const small = largeCsv(dir, 120, 3).file;
const medium = largeCsv(dir, 300, 5).file;
const wide = largeCsv(dir, 300, 18).file;
/** Cancels must be cooperative: the forced termination would come only after 10 s. */
const host = new JobHost({ maxConcurrent: 3, cancelGraceMs: 10_000 });
afterAll(async () => {
  await host.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

const tinyTraining = { hidden: 8, batchSize: 8, environments: 4, prefillIterations: 2, replayCapacity: 1000 };

async function cancelWithinASecond(id: string): Promise<number> {
  const t0 = performance.now();
  expect(host.cancel(id)).toBe(true);
  const end = await settled(host, id);
  const ms = performance.now() - t0;
  expect(end.status).toBe('cancelled');
  return ms;
}

describe('a training worker killed mid-run', () => {
  it('fails that run with a message; other runs, the host and the saved session are unharmed', async () => {
    // A finished run, saved in the session with its checkpoint.
    const firstCheckpoint = path.join(dir, 'run-1-checkpoint');
    const first = host.submit('train', {
      ...continuousProblem(small),
      sampler: { method: 'gflownet', iterations: 20, samples: 20, seed: 1 },
      train: tinyTraining,
      checkpointDir: firstCheckpoint,
    });
    const firstResult = (await host.wait<'train'>(first)).posterior;
    const sessionFile = path.join(dir, 'analysis.dagflow');
    const store = new SessionStore(sessionFile, undefined, { debounceMs: 50 });
    const checkpoint = await readCheckpointFolder(firstCheckpoint);
    store.update((s) => ({
      ...s,
      runs: [
        {
          id: 'run-1',
          method: 'gflownet',
          columns: firstResult.variables,
          settings: {},
          summary: { iterations: 20 },
          edgeMarginals: Array.from(firstResult.edgeMarginals),
          checkpoint,
        },
      ],
    }));
    await store.flush();

    // A long second run, and an exact run beside it.
    const secondCheckpoint = path.join(dir, 'run-2-checkpoint');
    const second = host.submit('train', {
      ...continuousProblem(small),
      sampler: { method: 'gflownet', iterations: 1_000_000, samples: 20, seed: 2 },
      train: tinyTraining,
      checkpointDir: secondCheckpoint,
    });
    const beside = host.submit('exact', continuousProblem(medium));
    await nextEvent(
      host,
      second,
      progressWhere((p) => p.phase === 'training' && Number(p.iteration) > 5),
    );
    await killWorker(host, second);

    const end = await settled(host, second);
    expect(end.status).toBe('failed');
    expect(end.message).toMatch(/worker thread stopped unexpectedly/);
    expect((await settled(host, beside)).status).toBe('done');
    // The host still runs new jobs.
    expect((await settled(host, host.submit('exact', continuousProblem(small)))).status).toBe('done');

    // The session on disk still holds run 1 and its checkpoint, byte for byte, and it resumes.
    await store.close();
    const reopened = await readSessionFile(sessionFile);
    expect(reopened.session.runs.map((r) => r.id)).toEqual(['run-1']);
    expect(reopened.session.runs[0]!.checkpoint).toEqual(checkpoint);
    const restored = path.join(dir, 'restored');
    await writeCheckpointFolder(reopened.session.runs[0]!.checkpoint!, restored);
    expect(loadCheckpoint(restored).state.d).toBe(3);
  }, 180_000);
});

describe('cancel', () => {
  it('during sampling stops within a second', async () => {
    const id = host.submit('train', {
      ...continuousProblem(small),
      sampler: { method: 'gflownet', iterations: 10, samples: 5_000_000, seed: 3 },
      train: tinyTraining,
    });
    await nextEvent(
      host,
      id,
      progressWhere((p) => p.phase === 'sampling'),
    );
    expect(await cancelWithinASecond(id)).toBeLessThan(1000);
  }, 120_000);

  it('during MCMC stops within a second', async () => {
    const id = host.submit('mcmc', { ...continuousProblem(medium), chain: { method: 'mc3', iterations: 50_000_000, seed: 4, chain: 0 } });
    await nextEvent(
      host,
      id,
      progressWhere((p) => typeof p.iteration === 'number' && (p.iteration as number) > 0),
    );
    expect(await cancelWithinASecond(id)).toBeLessThan(1000);
  }, 120_000);

  it('during the exact posterior (the subset DP on 18 variables) stops within a second', async () => {
    const id = host.submit('exact', continuousProblem(wide));
    await nextEvent(
      host,
      id,
      progressWhere((p) => p.phase !== 'reading the data'),
    );
    expect(await cancelWithinASecond(id)).toBeLessThan(1000);
  }, 120_000);

  it('leaves no worker thread behind', async () => {
    await waitFor(() => host.liveWorkers() === 0, 5000, 'every worker thread to exit');
    expect(host.liveWorkers()).toBe(0);
  });
});
