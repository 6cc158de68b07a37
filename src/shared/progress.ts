/**
 * What each job kind reports while it runs, as it crosses to the window (IPC or server-sent
 * events): plain JSON, edge matrices as number arrays. The job kinds (src/jobs/kinds) report
 * exactly these shapes, the job host tags each report with its kind, and the window reads the
 * fields by kind — no field name is guessed anywhere.
 */

/** Reading a file: bytes so far of the total. */
export interface BytesProgress {
  bytesRead: number;
  totalBytes: number;
}

/** The backend self-test: one report per matrix size. */
export interface SelfTestProgress {
  done: number;
  total: number;
  rate: { size: number; repeats: number; seconds: number; gflops: number };
  backend: string;
}

/** The exact posterior: the phase (reading the data, scoring parent sets, the DP passes) and its count. */
export interface ExactProgress {
  phase: string;
  done: number;
  total: number;
}

/** One DAG-GFlowNet run: reading, training, sampling from the trained policy, comparing with the exact posterior. */
export type TrainProgress =
  | { phase: 'reading the data' }
  | {
      phase: 'training';
      iteration: number;
      /** The iteration budget (no bound: Number.MAX_SAFE_INTEGER). */
      iterations: number;
      /** Moving average of the loss (NaN during the prefill). */
      lossAverage: number;
      stepsPerSecond: number;
      /** Seconds left by whichever budget ends first. */
      etaSeconds: number;
      epsilon: number;
      /** Fill of the replay buffer or trajectory pool, 0..1. */
      replayFill: number;
      elapsedSeconds: number;
      /** P(i → j) among recently finished trajectories, row-major d·d. */
      edgeMarginals: number[];
    }
  | { phase: 'sampling'; sampled: number; total: number }
  | { phase: 'evaluating'; statesEvaluated: number; states: number };

/** One MCMC chain. */
export type McmcProgress =
  | { chain: number; phase: 'reading the data' }
  | {
      chain: number;
      phase: 'sampling';
      iteration: number;
      /** The iteration budget (a time limit alone: Number.MAX_SAFE_INTEGER). */
      iterations: number;
      elapsedSeconds: number;
      iterationsPerSecond: number;
      logScore: number;
      acceptanceRate: number;
      /** The chain's time limit, when it has one: the window's ETA never goes past it. */
      timeLimitSeconds?: number;
      /** Current edge-probability estimate, row-major d·d, when the chain keeps one. */
      edgeMarginals?: number[];
    };

/** The progress report of each job kind. */
export interface JobProgressByKind {
  selftest: SelfTestProgress;
  preview: BytesProgress;
  inspect: BytesProgress;
  exact: ExactProgress;
  train: TrainProgress;
  mcmc: McmcProgress;
}

export type ProgressKind = keyof JobProgressByKind;

/** A progress report with the kind of job that made it: switch on `kind` to read `progress`. */
export type KindedProgress = { [K in ProgressKind]: { kind: K; progress: JobProgressByKind[K] } }[ProgressKind];
