import { describe, expect, it } from 'vitest';
import { exactCost, parentSetCount } from '../../../src/gflownet/exact/cost.ts';
import {
  EXACT_WORST_OK,
  kishEffectiveSampleSize,
  samplingError,
  trustVerdict,
  type TrustEvidence,
} from '../../../src/gflownet/metrics/trust.ts';

const SACHS = ['Raf', 'Mek', 'Plcg', 'PIP2', 'PIP3', 'Erk', 'Akt', 'PKA', 'PKC', 'P38', 'Jnk'];
const PKC = SACHS.indexOf('PKC');
const P38 = SACHS.indexOf('P38');

describe('trust verdict', () => {
  it('names the worst edge and says what to do when a GFlowNet run is far from the exact posterior', () => {
    const v = trustVerdict({
      method: 'gflownet',
      variables: SACHS,
      effectiveSamples: 1000,
      vsExact: { rmse: 0.081, worst: { from: PKC, to: P38, run: 0.807, other: 0.036 }, jsd: null },
    });
    expect(v.level).toBe('unreliable');
    expect(v.headline).toBe('not reliable: the worst edge PKC→P38 is off by 0.77 — train longer or use partition MCMC');
    expect(v.figures.map((f) => f.label)).toContain('worst edge vs exact');
  });

  it('calls a run within the noise of its sample size reliable, and a moderate miss "use with care"', () => {
    const close = trustVerdict({
      method: 'mc3',
      variables: SACHS,
      effectiveSamples: 4000,
      vsExact: { rmse: 0.01, worst: { from: 0, to: 1, run: 0.52, other: 0.49 }, jsd: null },
    });
    expect(close.level).toBe('reliable');
    expect(close.advice).toBeUndefined();
    const moderate = trustVerdict({
      method: 'mc3',
      variables: SACHS,
      effectiveSamples: 100_000,
      vsExact: { rmse: 0.03, worst: { from: 0, to: 1, run: 0.6, other: 0.49 } },
    });
    expect(moderate.level).toBe('caution');
    expect(moderate.headline).toMatch(/^use with care: the worst edge Raf→Mek is off by 0\.11 — run longer/);
  });

  it('never calls a run reliable because its few draws make the error look like noise', () => {
    // 50 draws: a 0.5 edge has a standard error of 0.07, so 0.12 off is within the noise — still only "use with care" …
    const n = 50;
    expect(3 * samplingError(0.5, n)).toBeGreaterThan(0.12);
    const noisy = trustVerdict({
      method: 'partition',
      variables: SACHS,
      effectiveSamples: n,
      vsExact: { rmse: 0.05, worst: { from: 0, to: 1, run: 0.62, other: 0.5 } },
    });
    expect(noisy.level).toBe('caution');
    expect(noisy.headline).toContain('within the sampling noise of 50 effective draws');
    // … and a miss beyond the "use with care" bound is not reliable however few the draws (ESS 2: noise ±1).
    const wild = trustVerdict({
      method: 'gflownet',
      variables: SACHS,
      effectiveSamples: 2,
      vsExact: { rmse: 0.1, worst: { from: PKC, to: P38, run: 0.3, other: 0.03 } },
    });
    expect(wild.level).toBe('unreliable');
    expect(EXACT_WORST_OK).toBeLessThan(0.12);
  });

  it('flags MCMC chains that have not mixed, naming the edge, and never says more than "no sign of trouble" from agreement', () => {
    const bad = trustVerdict({
      method: 'mc3',
      variables: SACHS,
      chains: { count: 2, rhatMax: 9.49, maxDiff: 0.62, worst: { from: PKC, to: P38, run: 0.9, other: 0.28 } },
    });
    expect(bad.level).toBe('unreliable');
    expect(bad.headline).toContain('the chains disagree on PKC→P38 by 0.62');
    expect(bad.headline).toContain('use partition MCMC');
    const good = trustVerdict({ method: 'partition', variables: SACHS, chains: { count: 4, rhatMax: 1.01, maxDiff: 0.03 } });
    expect(good.level).toBe('no-warning');
    const rhatOnly = trustVerdict({ method: 'order', variables: SACHS, chains: { count: 2, rhatMax: 1.5, maxDiff: 0.05 } });
    expect(rhatOnly.level).toBe('unreliable');
    expect(rhatOnly.headline).toContain('R̂ is 1.50');
    const one = trustVerdict({ method: 'mc3', variables: SACHS, chains: { count: 1, rhatMax: 1.0, maxDiff: 0 } });
    expect(one.level).toBe('unknown');
  });

  it('lets the exact comparison overrule agreeing chains', () => {
    const v = trustVerdict({
      method: 'mc3',
      variables: SACHS,
      effectiveSamples: 5000,
      chains: { count: 2, rhatMax: 1.02, maxDiff: 0.02 },
      vsExact: { rmse: 0.2, worst: { from: 0, to: 1, run: 0.9, other: 0.1 } },
    });
    expect(v.level).toBe('unreliable');
  });

  it('judges importance weights by their effective sample size', () => {
    const e = (ess: number): TrustEvidence => ({ method: 'gflownet', variables: SACHS, importance: { ess, draws: 10_000 } });
    expect(trustVerdict(e(12)).level).toBe('unreliable');
    expect(trustVerdict(e(500)).level).toBe('caution');
    expect(trustVerdict(e(4526)).level).toBe('no-warning');
  });

  it('combines a short check with the weights: the worse one decides', () => {
    const v = trustVerdict({
      method: 'gflownet',
      variables: SACHS,
      importance: { ess: 4000, draws: 10_000 },
      check: { label: 'a 20 s partition-MCMC check', rmse: 0.1, worst: { from: PKC, to: P38, run: 0.8, other: 0.1 } },
    });
    expect(v.level).toBe('unreliable');
    expect(v.headline).toContain('disagrees on PKC→P38 by 0.70');
  });

  it('names the check’s edge, not the weights, when both say "not reliable"', () => {
    const v = trustVerdict({
      method: 'gflownet',
      variables: SACHS,
      importance: { ess: 1, draws: 300 },
      check: { label: 'a 20 s partition-MCMC check', rmse: 0.22, worst: { from: PKC, to: P38, run: 1, other: 0 } },
    });
    expect(v.level).toBe('unreliable');
    expect(v.headline).toBe('not reliable: a 20 s partition-MCMC check disagrees on PKC→P38 by 1.00 — train longer or use partition MCMC');
    expect(v.details.join(' ')).toContain('effective sample size 1 of 300');
  });

  it('says "being checked" while the exact answer is computed, and "exact" for the exact posterior', () => {
    const p = trustVerdict({
      method: 'partition',
      variables: SACHS,
      chains: { count: 2, rhatMax: 1.0, maxDiff: 0.01 },
      pending: 'computing',
    });
    expect(p.level).toBe('pending');
    expect(trustVerdict({ method: 'exact', variables: SACHS }).level).toBe('exact');
    expect(trustVerdict({ method: 'gflownet', variables: SACHS }).level).toBe('unknown');
  });
});

describe('Kish effective sample size', () => {
  it('is n for equal weights and 1 when one weight dominates', () => {
    expect(kishEffectiveSampleSize([0, 0, 0, 0])).toBeCloseTo(4, 12);
    expect(kishEffectiveSampleSize([0, -800, -800])).toBeCloseTo(1, 12);
    // weights 1 and 3: (4)² / (1 + 9) = 1.6
    expect(kishEffectiveSampleSize([0, Math.log(3)])).toBeCloseTo(1.6, 12);
  });
});

describe('exact cost', () => {
  it('counts parent sets', () => {
    expect(parentSetCount(3, 2)).toBe(3 * 4);
    expect(parentSetCount(11, 10)).toBe(11 * 1024);
    expect(parentSetCount(18, 3)).toBe(18 * (1 + 17 + 136 + 680));
  });
  it('calls Sachs cheap, grows ×3 per variable, and refuses beyond 20 variables', () => {
    expect(exactCost(11).seconds).toBeLessThan(1);
    expect(exactCost(18, { maxParents: 3 }).seconds).toBeGreaterThan(2.5 * exactCost(17, { maxParents: 3 }).seconds);
    expect(exactCost(18, { maxParents: 3 }).seconds).toBeGreaterThan(10);
    expect(exactCost(21).feasible).toBe(false);
  });
});
