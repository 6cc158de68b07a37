import { selectBackend } from '../src/gflownet/backend/select.ts';
import { backendSelfTest } from '../src/gflownet/backend/selfTest.ts';
import { printTable } from './_table.ts';

/** Matmul rate of every backend that can start here (the ceiling the policy network is measured against). */
export async function run(): Promise<void> {
  const rows: Array<Record<string, string>> = [];
  for (const request of ['tensorflow', 'wasm', 'cpu'] as const) {
    let choice;
    try {
      choice = await selectBackend(request);
    } catch (e) {
      rows.push({ backend: request, size: '-', 'GFLOP/s': '-', note: (e as Error).message });
      continue;
    }
    const sizes = request === 'cpu' ? [128, 256] : [128, 256, 512];
    const result = await backendSelfTest(choice, { sizes, secondsPerSize: 1 });
    for (const r of result.rates)
      rows.push({ backend: request, size: String(r.size), 'GFLOP/s': r.gflops.toFixed(2), note: choice.reason });
  }
  printTable(rows);
}
