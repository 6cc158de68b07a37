import { DagflowError } from '../../gflownet/core/errors.ts';

/** A file as read (an upload lives under a temporary path) and as the user named it. */
export interface UserFile {
  path: string;
  name: string;
}

/** Rewrite temporary paths in an engine error to the names the user chose. */
export function renameFilesInError(e: unknown, source: UserFile & { interventionFile?: UserFile }): never {
  if (e instanceof DagflowError) {
    if (e.location.file === source.path) e.location.file = source.name;
    if (source.interventionFile && e.location.file === source.interventionFile.path) e.location.file = source.interventionFile.name;
    e.message = e.message.split(source.path).join(source.name);
  }
  throw e;
}
