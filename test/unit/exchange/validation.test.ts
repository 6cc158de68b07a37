import { describe, expect, it } from 'vitest';
import { EXPORT_FORMATS } from '../../../src/gflownet/export/renderExport.ts';
import { validateRequest, ApiValidationError } from '../../../src/shared/apiValidation.ts';
import { EXPORT_FORMAT_IDS, EXPORT_FORMAT_TITLES } from '../../../src/shared/exchange.ts';
import { MAX_GRAPH_TEXT, MAX_STATE_JSON } from '../../../src/shared/exchangeValidation.ts';
import type { ApiOperation } from '../../../src/shared/api.ts';

function refused(op: ApiOperation, body: unknown): string {
  try {
    validateRequest(op, body);
  } catch (e) {
    expect(e).toBeInstanceOf(ApiValidationError);
    return (e as Error).message;
  }
  throw new Error(`${op} accepted ${JSON.stringify(body)?.slice(0, 80)}`);
}

describe('exchange validation (exports, graph imports, sessions)', () => {
  it('offers exactly the engine export formats, each with a title', () => {
    expect([...EXPORT_FORMAT_IDS]).toEqual([...EXPORT_FORMATS]);
    for (const f of EXPORT_FORMAT_IDS) expect(EXPORT_FORMAT_TITLES[f]).toMatch(/\w/);
  });

  it('accepts well-formed requests and keeps only their fields', () => {
    expect(validateRequest('exportRun', { runId: 'run-3', format: 'graphml', threshold: 0.3 })).toEqual({
      runId: 'run-3',
      format: 'graphml',
      threshold: 0.3,
    });
    expect(validateRequest('saveExport', { runId: 'run-3', format: 'png' })).toEqual({ runId: 'run-3', format: 'png' });
    expect(
      validateRequest('importGraph', { variables: ['A', 'B'], text: 'from,to\nA,B\n', fileName: 'g.csv', purpose: 'truth' }),
    ).toMatchObject({ purpose: 'truth' });
    expect(
      validateRequest('updateSession', {
        datasetId: null,
        settings: { a: 1 },
        views: { threshold: 0.4 },
        reference: { source: 'g.dot', edges: [['A', 'B']] },
      }),
    ).toMatchObject({ views: { threshold: 0.4 } });
    expect(validateRequest('saveSession', {})).toEqual({});
    expect(validateRequest('saveSession', undefined)).toEqual({});
    expect(validateRequest('openSession', { source: 'upload', fileName: 's.dagflow', content: new Uint8Array([123, 125]) })).toMatchObject({
      source: 'upload',
    });
    expect(validateRequest('locateSessionData', { source: 'opened', datasetId: 'data-0123456789ab' })).toEqual({
      source: 'opened',
      datasetId: 'data-0123456789ab',
    });
  });

  it('refuses wrong types, values and sizes with the field named', () => {
    expect(refused('exportRun', { runId: 'run-1', format: 'pdf' })).toMatch(/format must be one of/);
    expect(refused('exportRun', { runId: '../x', format: 'dot' })).toMatch(/runId/);
    expect(refused('exportRun', { runId: 'run-1', format: 'dot', threshold: 1.5 })).toMatch(/threshold/);
    expect(refused('exportRun', { runId: 'run-1', format: 'dot', threshold: '0.5' })).toMatch(/threshold/);
    expect(refused('saveExport', { runId: 'run-1', format: 'dot', path: '/etc/passwd' })).toMatch(/unexpected field "path"/);
    expect(refused('importGraph', { variables: ['A'], text: '', fileName: 'g.csv', purpose: 'truth' })).toMatch(/variables/);
    expect(
      refused('importGraph', { variables: Array.from({ length: 129 }, (_, k) => `V${k}`), text: '', fileName: 'g.csv', purpose: 'truth' }),
    ).toMatch(/variables/);
    expect(refused('importGraph', { variables: ['A', 'A'], text: '', fileName: 'g.csv', purpose: 'truth' })).toMatch(/repeat/);
    expect(
      refused('importGraph', { variables: ['A', 'B'], text: 'x'.repeat(MAX_GRAPH_TEXT + 1), fileName: 'g.csv', purpose: 'truth' }),
    ).toMatch(/at most/);
    expect(refused('importGraph', { variables: ['A', 'B'], text: 7, fileName: 'g.csv', purpose: 'truth' })).toMatch(/text/);
    expect(refused('importGraph', { variables: ['A', 'B'], text: '', fileName: '../g.csv', purpose: 'truth' })).toMatch(/plain file name/);
    expect(refused('importGraph', { variables: ['A', 'B'], text: '', fileName: 'g.csv', purpose: 'both' })).toMatch(/purpose/);
    expect(refused('updateSession', { datasetId: 'x', settings: {}, views: {} })).toMatch(/datasetId/);
    expect(refused('updateSession', { datasetId: null, settings: [], views: {} })).toMatch(/settings must be an object/);
    expect(refused('updateSession', { datasetId: null, settings: {}, views: { big: 'x'.repeat(MAX_STATE_JSON) } })).toMatch(
      /views is larger/,
    );
    expect(refused('updateSession', { datasetId: null, settings: {}, views: {}, reference: { source: 'g', edges: [['A']] } })).toMatch(
      /reference.edges\[0\]/,
    );
    expect(refused('updateSession', { datasetId: null, settings: {}, views: {}, file: '/tmp/x' })).toMatch(/unexpected field "file"/);
    expect(refused('saveSession', { saveAs: 'yes' })).toMatch(/saveAs/);
    expect(refused('saveSession', { path: '/tmp/s.dagflow' })).toMatch(/unexpected field "path"/);
    expect(refused('openSession', { source: 'path', path: '/etc/passwd' })).toMatch(/source/);
    expect(refused('openSession', { source: 'upload', fileName: 's.dagflow', content: 'text' })).toMatch(/bytes/);
    expect(refused('openSession', { source: 'dialog', path: '/x' })).toMatch(/unexpected field/);
    expect(refused('locateSessionData', { source: 'opened', datasetId: 'data-1' })).toMatch(/datasetId/);
    expect(refused('locateSessionData', null)).toMatch(/object/);
  });
});
