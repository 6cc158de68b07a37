/** The page's palette (CSS variables) for the charts' canvas, which cannot read them itself. */
export function cssColour(name: string, fallback = '#888888'): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

/** Series colours: the accent first, then fixed hues that read on light and dark backgrounds. */
export function seriesColour(k: number): string {
  const colours = [cssColour('--accent', '#3b6fd4'), '#d9822b', '#3aa35b', '#b04fc4', '#c43d4f', '#2bb3b3'];
  return colours[k % colours.length]!;
}
