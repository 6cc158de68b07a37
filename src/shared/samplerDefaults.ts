/**
 * Sampler defaults that the window and the command line must agree on (issue 15, item 8), in
 * one place both read: the contract layer, which every layer may import. Where the window
 * deliberately differs it says so here, on the Model screen and in docs/ui.md.
 */

/** MCMC: independent chains (docs/mcmc.md: four chains make R̂ and the between-chain spread meaningful). */
export const DEFAULT_MCMC_CHAINS = 4;
/** MCMC: fraction of each chain discarded at the start. */
export const DEFAULT_MCMC_BURN_IN = 0.2;
/** GFlowNet: DAGs drawn after training. */
export const DEFAULT_GFLOWNET_SAMPLES = 1000;
export const DEFAULT_SEED = 0;

/**
 * The window's time limit for a new run. Deliberately not the command line's default (no
 * limit): a window run should end by itself. With a time limit and no iteration count, the
 * GFlowNet trains until the time is up, as `dagflow train --time-limit` does.
 */
export const WINDOW_TIME_LIMIT_SECONDS = 120;
/**
 * The window's MCMC iteration budget per chain. The command line has no default (it asks for
 * --iterations or --time-limit); the window needs a number in the field, and the time limit
 * usually ends the run first.
 */
export const WINDOW_MCMC_ITERATIONS = 20_000;
