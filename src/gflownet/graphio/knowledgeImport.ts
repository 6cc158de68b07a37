/**
 * Prior knowledge from graph files: required edges (must form a DAG) and forbidden edges (any
 * set, cycles allowed), each in any format importGraph.ts reads, checked against each other —
 * an edge both required and forbidden is an error naming both files.
 */
import { DagflowError } from '../core/errors.ts';
import { importGraphFile } from './importGraph.ts';

export interface KnowledgeFiles {
  required?: string;
  forbidden?: string;
}

export interface KnowledgeEdges {
  /** [from, to] column indices, row-major order. */
  required: Array<[number, number]>;
  forbidden: Array<[number, number]>;
}

export async function importKnowledgeEdges(files: KnowledgeFiles, columns: readonly string[]): Promise<KnowledgeEdges> {
  const required = files.required === undefined ? null : await importGraphFile(files.required, columns, { acyclic: true });
  const forbidden = files.forbidden === undefined ? null : await importGraphFile(files.forbidden, columns, { acyclic: false });
  if (required && forbidden) {
    const clash = required.edges.find(([i, j]) => forbidden.adjacency[i * columns.length + j]);
    if (clash) {
      throw new DagflowError(
        'BAD_GRAPH',
        `the edge ${columns[clash[0]]} → ${columns[clash[1]]} is both required (${files.required}) and forbidden (${files.forbidden})`,
        { file: files.forbidden },
        'remove it from one of the two files',
      );
    }
  }
  return { required: required?.edges ?? [], forbidden: forbidden?.edges ?? [] };
}
