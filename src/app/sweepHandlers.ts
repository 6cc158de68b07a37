/**
 * The window opens a sweep folder like a run: `openSweep` registers the folder the user chose
 * (the desktop app's dialog picks its sweep.json; browser mode takes the folder's path) and
 * returns its view; `getSweep` reads it again, for an array that is still running. Only
 * folders with a DAGFlow sweep manifest are accepted, and only the files `dagflow sweep` wrote
 * there are read.
 */
import * as path from 'node:path';
import { DagflowError } from '../gflownet/core/errors.ts';
import { readManifest, SWEEP_FILES } from '../gflownet/sweep/manifest.ts';
import type { OpenSweepRequest, SweepView } from '../shared/sweep.ts';
import type { NativeDialogs } from './nativeDialogs.ts';
import { buildSweepView } from './sweepView.ts';

export interface SweepHandlers {
  openSweep(request: OpenSweepRequest): Promise<SweepView | null>;
  getSweep(request: { sweepId: string }): Promise<SweepView>;
}

export function createSweepHandlers(deps: { dialogs?: NativeDialogs }): SweepHandlers {
  const folders = new Map<string, string>();
  let next = 1;
  return {
    async openSweep(request) {
      let dir: string;
      if (request.source === 'dialog') {
        if (!deps.dialogs)
          throw new DagflowError(
            'BAD_OPTION',
            'there is no native file dialog in browser mode',
            {},
            "type the sweep folder's path instead",
          );
        const chosen = await deps.dialogs.openFile({
          title: `Open a sweep (its ${SWEEP_FILES.manifest})`,
          filters: [{ name: 'DAGFlow sweep', extensions: ['json'] }],
        });
        if (chosen === null) return null;
        dir = path.dirname(chosen);
      } else dir = path.resolve(request.path);
      // Refuses any folder that is not a sweep before anything else in it is read.
      await readManifest(dir);
      const known = [...folders].find(([, d]) => d === dir)?.[0];
      const sweepId = known ?? `sweep-${next++}`;
      folders.set(sweepId, dir);
      return buildSweepView(sweepId, dir);
    },

    async getSweep(request) {
      const dir = folders.get(request.sweepId);
      if (dir === undefined)
        throw new DagflowError('BAD_OPTION', `there is no open sweep ${request.sweepId}`, {}, 'open the sweep folder again');
      return buildSweepView(request.sweepId, dir);
    },
  };
}
