/**
 * ELK's edge routes drawn by Cytoscape: GraphView moves the nodes to ELK's positions, and ELK also
 * routed every edge around the nodes and leaves the route on the edge's scratch object. Each
 * route becomes Cytoscape's `segments` curve: manual endpoints where ELK ends the edge, and
 * each bend point as (weight along the endpoint line, distance from it).
 */
import type cytoscape from 'cytoscape';

interface Point {
  x: number;
  y: number;
}
/** What ELK writes back on an edge: sections for the extended format, points for the simple one. */
interface ElkRoutedEdge {
  sections?: Array<{ startPoint: Point; endPoint: Point; bendPoints?: Point[] }>;
  sourcePoint?: Point;
  targetPoint?: Point;
  bendPoints?: Point[];
}

function route(edge: ElkRoutedEdge): Point[] | undefined {
  const s = edge.sections?.[0];
  if (s) return [s.startPoint, ...(s.bendPoints ?? []), s.endPoint];
  if (edge.sourcePoint && edge.targetPoint) return [edge.sourcePoint, ...(edge.bendPoints ?? []), edge.targetPoint];
  return undefined;
}

/** Draws ELK's route of every edge; returns how many edges got one. */
export function applyElkRoutes(cy: cytoscape.Core): number {
  let routed = 0;
  cy.batch(() => {
    cy.edges().forEach((edge) => {
      const points = route((edge.scratch('elk') ?? {}) as ElkRoutedEdge);
      const source = edge.source();
      const target = edge.target();
      const sourceBox = (source.scratch('elk') ?? {}) as { x?: number; y?: number; width?: number; height?: number };
      if (!points || points.length < 2 || sourceBox.x === undefined || sourceBox.width === undefined) return;
      // ELK's frame to Cytoscape's model positions, taken from the source node (centre = corner + half size)
      const dx = source.position('x') - (sourceBox.x + sourceBox.width / 2);
      const dy = source.position('y') - (sourceBox.y! + sourceBox.height! / 2);
      const p = points.map((q) => ({ x: q.x + dx, y: q.y + dy }));
      const start = p[0]!;
      const end = p[p.length - 1]!;
      const vx = end.x - start.x;
      const vy = end.y - start.y;
      const length2 = vx * vx + vy * vy;
      if (length2 === 0) return;
      const length = Math.sqrt(length2);
      const bends = p.slice(1, -1);
      edge.style({
        'curve-style': bends.length > 0 ? 'segments' : 'straight',
        'edge-distances': 'endpoints',
        'source-endpoint': `${start.x - source.position('x')}px ${start.y - source.position('y')}px`,
        'target-endpoint': `${end.x - target.position('x')}px ${end.y - target.position('y')}px`,
        ...(bends.length > 0
          ? {
              'segment-weights': bends.map((b) => ((b.x - start.x) * vx + (b.y - start.y) * vy) / length2),
              // Cytoscape measures along the normal (-vy, vx) / length of the endpoint line
              'segment-distances': bends.map((b) => ((b.x - start.x) * -vy + (b.y - start.y) * vx) / length),
            }
          : {}),
      });
      routed++;
    });
  });
  return routed;
}

/** Back to the stylesheet's curves (for the layouts that do not route edges). */
export function clearElkRoutes(cy: cytoscape.Core): void {
  cy.edges().removeStyle('curve-style edge-distances source-endpoint target-endpoint segment-weights segment-distances');
}
