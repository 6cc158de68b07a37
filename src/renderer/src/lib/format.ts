/** Numbers with sensible precision for people. */
export function prob(p: number | undefined): string {
  if (p === undefined || !Number.isFinite(p)) return '—';
  if (p > 0 && p < 0.001) return '<0.001';
  return p.toFixed(3);
}

export function fixed(x: number | undefined, digits = 2): string {
  if (x === undefined || !Number.isFinite(x)) return '—';
  return x.toFixed(digits);
}

export function score(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return '—';
  return x.toLocaleString('en', { maximumFractionDigits: 1, minimumFractionDigits: 1 });
}

export function integer(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return '—';
  return Math.round(x).toLocaleString('en');
}

export function duration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '—';
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const m = Math.floor(seconds / 60);
  return `${m} min ${Math.round(seconds - 60 * m)} s`;
}

export function rate(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return '—';
  return x >= 100 ? integer(x) : x.toFixed(1);
}
