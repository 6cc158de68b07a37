/**
 * The opening most window tests share: a sample data set from Import, a sampler chosen on the
 * Model screen, the run started — and, for tests about results, the finished run's Posterior.
 */
import type { Page } from 'playwright/test';
import { ImportPage } from '../pages/ImportPage.ts';
import { ModelPage, type Method } from '../pages/ModelPage.ts';
import { PosteriorPage } from '../pages/PosteriorPage.ts';
import { RunPage } from '../pages/RunPage.ts';

export interface SampleRun {
  model: ModelPage;
  runs: RunPage;
  posterior: PosteriorPage;
}

type Budget = { iterations?: number; timeLimitSeconds?: number };

/** Opens `sample` at the browser-mode address `url`, chooses `method` with `budget` and starts the run. */
export async function startSampleRun(page: Page, url: string, sample: string, method: Method, budget: Budget = {}): Promise<SampleRun> {
  const importPage = new ImportPage(page);
  const run = { model: new ModelPage(page), runs: new RunPage(page), posterior: new PosteriorPage(page) };
  await importPage.goto(url);
  await importPage.openSample(sample);
  await page.getByTestId('to-model').click();
  await run.model.chooseSampler(method, budget);
  await run.model.start();
  return run;
}

/** The same, then waits for the run to finish and opens its Posterior screen. */
export async function sampleRunPosterior(page: Page, url: string, sample: string, method: Method, budget: Budget = {}): Promise<SampleRun> {
  const run = await startSampleRun(page, url, sample, method, budget);
  await run.runs.expectStatus(-1, 'done');
  await run.runs.openPosterior(-1);
  return run;
}
