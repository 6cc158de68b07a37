/**
 * Arrow-key movement in a d×d matrix of cells (row → column), skipping the diagonal, so a
 * matrix is one tab stop and the arrows move inside it (roving focus).
 */
export function nextCell(key: string, i: number, j: number, d: number): [number, number] | undefined {
  const step: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
  const s = step[key];
  if (!s) return undefined;
  let [r, c] = [i + s[0], j + s[1]];
  if (r === c) [r, c] = [r + s[0], c + s[1]];
  if (r < 0 || c < 0 || r >= d || c >= d) return undefined;
  return [r, c];
}

export function focusCell(container: HTMLElement | undefined, i: number, j: number): void {
  container?.querySelector<HTMLElement>(`[data-cell="${i}-${j}"]`)?.focus();
}
