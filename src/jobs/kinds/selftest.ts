import { selectBackend, type BackendRequest } from '../../gflownet/backend/select.ts';
import { backendSelfTest, type SelfTestResult } from '../../gflownet/backend/selfTest.ts';
import { jobCancelled, type JobContext } from '../../gflownet/core/job.ts';
import type { SelfTestProgress } from '../../shared/progress.ts';

export interface SelfTestParams {
  backend?: BackendRequest;
  sizes?: number[];
  secondsPerSize?: number;
}

export type { SelfTestProgress };

/** The backend self-test as a job: streams one progress event per matrix size. */
export async function run(params: SelfTestParams, ctx: JobContext<SelfTestProgress>): Promise<SelfTestResult> {
  const choice = await selectBackend(params.backend ?? 'auto');
  const result = await backendSelfTest(choice, {
    sizes: params.sizes,
    secondsPerSize: params.secondsPerSize,
    shouldStop: () => ctx.signal.aborted,
    onProgress: (done, total, rate) => ctx.progress({ done, total, rate, backend: choice.backend }),
  });
  if (ctx.signal.aborted) throw jobCancelled();
  return result;
}
