import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../../src/gflownet/data/load.ts';
import { previewCsv } from '../../../src/gflownet/data/preview.ts';
import { samplesDir, tempFolder } from './tempFiles.ts';

const tmp = tempFolder();
afterAll(() => tmp.cleanup());
const sample = (name: string): string => path.join(samplesDir, name);

describe('loadDataset on the sample data', () => {
  it('reads Sachs as 853 × 11 continuous, z-scored with ddof = 1', async () => {
    const ds = await loadDataset(sample('sachs_obs_853.csv'));
    expect(ds.kind).toBe('continuous');
    expect(ds.rows).toBe(853);
    expect(ds.columns).toEqual(['Raf', 'Mek', 'Plcg', 'PIP2', 'PIP3', 'Erk', 'Akt', 'PKA', 'PKC', 'P38', 'Jnk']);
    expect(ds.standardized).toBe(true);
    const col = ds.continuous![7]!;
    const mean = col.reduce((a, b) => a + b, 0) / col.length;
    const variance = col.reduce((a, b) => a + (b - mean) ** 2, 0) / (col.length - 1);
    expect(Math.abs(mean)).toBeLessThan(1e-12);
    expect(variance).toBeCloseTo(1, 12);
    expect(ds.report.columns.every((c) => c.kind === 'continuous' && c.numeric && c.distinct > 10)).toBe(true);
  });

  it('keeps raw values with standardize off', async () => {
    const ds = await loadDataset(sample('sachs_obs_853.csv'), { standardize: false });
    expect(ds.continuous![0]![0]).toBe(26.4);
    expect(ds.standardized).toBe(false);
  });

  it('reads Asia as discrete with the levels seen', async () => {
    const ds = await loadDataset(sample('asia_n1000.csv'));
    expect(ds.kind).toBe('discrete');
    expect(ds.discrete!.levels.every((l) => l.join() === 'no,yes')).toBe(true);
    expect(ds.report.columns[0]!.reason).toMatch(/not numeric, 2 distinct values/);
  });

  it('reads the interventional Sachs data with the sidecar INT file', async () => {
    const ds = await loadDataset(sample('sachs_interventional_discrete_5400.csv'), {
      interventionFile: sample('sachs_interventional_discrete_5400_INT.csv'),
    });
    expect(ds.kind).toBe('discrete');
    expect(ds.report.interventions!.counts).toEqual({
      observational: 1800,
      Raf: 0,
      Mek: 600,
      Plcg: 0,
      PIP2: 600,
      PIP3: 0,
      Erk: 0,
      Akt: 600,
      PKA: 600,
      PKC: 1200,
      P38: 0,
      Jnk: 0,
    });
    expect(ds.discrete!.levels[0]).toEqual(['1', '2', '3']);
  });

  it('reads the same targets from a column of the data (--int-column), wherever the column is', async () => {
    const data = readFileSync(sample('sachs_interventional_discrete_5400.csv'), 'utf8').trim().split('\n');
    const ints = readFileSync(sample('sachs_interventional_discrete_5400_INT.csv'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(',')[1]);
    // INT placed as the first column: targets still count data columns without it.
    const file = tmp.write('with_int.csv', data.map((l, i) => `${i === 0 ? 'INT' : ints[i]},${l}`).join('\n'));
    const fromColumn = await loadDataset(file, { interventionColumn: 'INT' });
    const fromFile = await loadDataset(sample('sachs_interventional_discrete_5400.csv'), {
      interventionFile: sample('sachs_interventional_discrete_5400_INT.csv'),
    });
    expect(fromColumn.columns).toEqual(fromFile.columns);
    expect(Array.from(fromColumn.interventions!)).toEqual(Array.from(fromFile.interventions!));
  });
});

describe('CSV dialects', () => {
  const plain = 'a,b,c\n1.5,2,x\n2.5,3,y\n3.5,5,x\n';
  it('handles a UTF-8 BOM, CRLF, semicolons, tabs and quotes alike', async () => {
    const variants = {
      'plain.csv': plain,
      'bom_crlf.csv': '\ufeff' + plain.replace(/\n/g, '\r\n'),
      'semi.csv': plain.replace(/,/g, ';'),
      'tab.tsv': plain.replace(/,/g, '\t'),
      'quoted.csv': '"a","b","c"\n"1.5",2,"x"\n2.5,"3",y\n\n3.5,5,"x"\n\n',
    };
    for (const [name, text] of Object.entries(variants)) {
      const ds = await loadDataset(tmp.write(name, text), { score: 'bdeu' });
      expect(ds.columns, name).toEqual(['a', 'b', 'c']);
      expect(ds.rows, name).toBe(3);
      expect(
        ds.discrete!.levels.map((l) => l.join('|')),
        name,
      ).toEqual(['1.5|2.5|3.5', '2|3|5', 'x|y']);
    }
  });

  it('keeps delimiters and quotes inside quoted fields', async () => {
    const ds = await loadDataset(tmp.write('inner.csv', 'name,v\n"a, ""b""",1\n"c;d",2\n'), { score: 'bdeu' });
    expect(ds.discrete!.levels[0]).toEqual(['a, "b"', 'c;d']);
  });
});

describe('types, missing values and mixed data', () => {
  it('detects whole numbers with few values as discrete and lets the user override', async () => {
    const file = tmp.write('codes.csv', 'g,x,y\n1,0.1,2\n2,0.7,3\n1,0.3,4\n3,0.2,9\n2,0.9,1\n');
    await expect(loadDataset(file)).rejects.toThrow(/mixes 1 continuous column\(s\) \(x\) and 2 discrete column\(s\) \(g, y\)/);
    const asContinuous = await loadDataset(file, { columnTypes: { g: 'continuous', y: 'continuous' } });
    expect(asContinuous.kind).toBe('continuous');
    const lowThreshold = await loadDataset(file, { maxDiscreteLevels: 2 });
    expect(lowThreshold.kind).toBe('continuous');
  });

  it('discretizes continuous columns into quantile bins when asked', async () => {
    const rows = Array.from({ length: 12 }, (_, i) => `${i % 2 ? 'u' : 'v'},${i + 1}.5`);
    const ds = await loadDataset(tmp.write('mixed.csv', ['k,z', ...rows].join('\n')), { mixed: 'discretize', bins: 3 });
    expect(ds.kind).toBe('discrete');
    const z = ds.report.columns[1]!;
    expect(z.cuts).toEqual([4.5, 8.5]);
    expect(z.levels).toEqual(['<=4.5', '(4.5,8.5]', '>8.5']);
    const counts = [0, 0, 0];
    ds.discrete!.codes[1]!.forEach((c) => counts[c]!++);
    expect(counts).toEqual([4, 4, 4]);
  });

  it('excludes one kind of column of mixed data when asked', async () => {
    const file = tmp.write('mixed2.csv', 'k,z,w\nu,1.5,2.25\nv,2.5,0.5\nu,3.5,1.75\n');
    const ds = await loadDataset(file, { mixed: 'exclude-discrete' });
    expect(ds.columns).toEqual(['z', 'w']);
    expect(ds.report.warnings.join()).toMatch(/excluded 1 discrete column/);
  });

  it('drops incomplete rows on request and reports the counts', async () => {
    const file = tmp.write('missing.csv', 'a,b,c\n1.5,NA,3.5\n2.5,2.5,?\n3.5,1.5,2.5\n4.5, ,1.5\n5.5,0.5,nan\n6.5,3.5,4.5\n');
    const ds = await loadDataset(file, { missing: 'drop' });
    expect(ds.rows).toBe(2);
    expect(ds.report.droppedRows).toBe(4);
    expect(ds.report.columns.map((c) => c.missing)).toEqual([0, 2, 2]);
    expect(ds.report.warnings.join()).toMatch(/dropped 4 of 6 rows/);
    const custom = await loadDataset(tmp.write('missing2.csv', 'a,b\n1.5,-999\n2.5,2.5\n3.5,4.5\n4.5,1.25\n'), {
      missing: 'drop',
      missingTokens: ['-999'],
    });
    expect(custom.rows).toBe(3);
  });

  it('reads labels as written under --score bdeu, even when they look numeric', async () => {
    const ds = await loadDataset(tmp.write('labels.csv', 'a,b\n1,x\n1.0,y\n1,x\n'), { score: 'bdeu' });
    expect(ds.discrete!.levels).toEqual([
      ['1', '1.0'],
      ['x', 'y'],
    ]);
    await expect(
      loadDataset(tmp.write('labels2.csv', 'a,b\n1,x\n1.0,y\n1,x\n'), { columnTypes: { b: 'discrete' }, mixed: 'refuse' }),
    ).rejects.toMatchObject({ code: 'TOO_FEW_COLUMNS' });
  });

  it('excludes a constant column with a warning', async () => {
    const ds = await loadDataset(tmp.write('const.csv', 'a,b,c\n1.5,7,2.5\n2.5,7,1.5\n3.5,7,4.5\n'));
    expect(ds.columns).toEqual(['a', 'c']);
    expect(ds.report.warnings).toEqual(['column "b" is constant (every value is "7") and was excluded']);
  });
});

describe('progress, cancellation and preview', () => {
  it('reports progress up to the file size', async () => {
    const seen: Array<[number, number]> = [];
    await loadDataset(sample('sachs_interventional_discrete_5400.csv'), { onProgress: (a, b) => seen.push([a, b]) });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[seen.length - 1]).toEqual([118847, 118847]);
  });

  it('stops with CANCELLED when the signal aborts', async () => {
    const controller = new AbortController();
    let calls = 0;
    const promise = loadDataset(sample('sachs_interventional_discrete_5400.csv'), {
      signal: controller.signal,
      onProgress: () => ++calls === 1 && controller.abort(),
    });
    await expect(promise).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('previews the first rows', async () => {
    const p = await previewCsv(sample('sachs_obs_853.csv'), { maxRows: 3 });
    expect(p).toMatchObject({
      columns: ['Raf', 'Mek', 'Plcg', 'PIP2', 'PIP3', 'Erk', 'Akt', 'PKA', 'PKC', 'P38', 'Jnk'],
      rowCount: 853,
      rowCountExact: true,
      delimiter: ',',
    });
    expect(p.rows).toHaveLength(3);
    expect(p.rows[0]![0]).toBe('26.4');
    const big = 'a;b\r\n' + Array.from({ length: 40000 }, (_, i) => `${i};${i * 2}`).join('\r\n') + '\r\n\r\n';
    const q = await previewCsv(tmp.write('big.csv', big), { maxRows: 5 });
    expect(q).toMatchObject({ columns: ['a', 'b'], rowCount: 40000, rowCountExact: false, delimiter: ';' });
  });
});
