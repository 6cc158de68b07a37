/**
 * What a reader needs to reproduce a run, for the exports (issue 15: the report carries every
 * setting, the data file's hash and the app version): the data options, score, structure prior,
 * prior knowledge and sampler settings (with the seed) the run was started with, the SHA-256 of
 * the bytes it read, and the DAGFlow version. Paths never go in: the file is named as the user
 * named it.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { ProblemSpec } from '../gflownet/problem/spec.ts';
import type { SamplerSpec } from '../shared/workflow.ts';

export type Fact = { label: string; value: string };

function sha256(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

const json = (value: unknown): string => JSON.stringify(value);

export class RunProvenance {
  private readonly runs = new Map<string, { problem: ProblemSpec; sampler: SamplerSpec }>();
  private readonly hashes = new Map<string, Promise<string>>();

  constructor(private readonly version: string) {}

  recordRun(runId: string, problem: ProblemSpec, sampler: SamplerSpec): void {
    this.runs.set(runId, { problem, sampler });
  }

  /** The run's settings as export facts; just the version for a run this process did not start (reopened from a session). */
  async factsOf(runId: string): Promise<Fact[]> {
    const facts: Fact[] = [{ label: 'DAGFlow version', value: this.version }];
    const run = this.runs.get(runId);
    if (!run) return facts;
    const { data, score, prior, knowledge } = run.problem;
    let hash = this.hashes.get(data.path);
    if (!hash) {
      hash = sha256(data.path);
      this.hashes.set(data.path, hash);
    }
    facts.push(
      { label: 'data file', value: data.name ?? 'the data file' },
      { label: 'data file SHA-256', value: await hash.catch(() => 'could not be read again') },
      { label: 'data options', value: json(data.options) },
      ...(data.interventionFile ? [{ label: 'intervention sidecar', value: data.interventionFile.name ?? 'a sidecar file' }] : []),
      { label: 'score settings', value: json(score) },
      { label: 'structure prior', value: json(prior) },
      { label: 'prior knowledge', value: json(knowledge) },
      { label: 'sampler settings', value: json(run.sampler) },
    );
    return facts;
  }
}
