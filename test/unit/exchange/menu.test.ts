import { describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';

// The menu is plain data handed to Menu.buildFromTemplate: capture it.
let template: MenuItemConstructorOptions[] = [];
vi.mock('electron', () => ({
  app: { setName: () => undefined },
  Menu: { buildFromTemplate: (t: MenuItemConstructorOptions[]) => ((template = t), t), setApplicationMenu: () => undefined },
}));
const { buildMenu } = await import('../../../src/main/electron/menu.ts');

describe('File menu', () => {
  it('has Open, Open Recent, the session commands and Export…, each sending its action', () => {
    const calls: string[] = [];
    buildMenu({
      open: () => calls.push('open'),
      openRecent: (k) => calls.push(`recent ${k}`),
      recent: () => ['/data/a.csv', '/data/b.csv'],
      openSession: () => calls.push('open-session'),
      saveSession: () => calls.push('save-session'),
      saveSessionAs: () => calls.push('save-session-as'),
      exportRun: () => calls.push('export'),
    });
    const file = template.find((m) => m.label === 'File')!.submenu as MenuItemConstructorOptions[];
    const byLabel = (label: string): MenuItemConstructorOptions => file.find((m) => m.label === label)!;
    expect(file.filter((m) => m.label).map((m) => m.label)).toEqual([
      'Open CSV…',
      'Open Recent',
      'Open Session…',
      'Save Session',
      'Save Session As…',
      'Export…',
    ]);
    expect(byLabel('Save Session').accelerator).toBe('CmdOrCtrl+S');
    expect(byLabel('Export…').accelerator).toBe('CmdOrCtrl+E');
    for (const label of ['Open CSV…', 'Open Session…', 'Save Session', 'Save Session As…', 'Export…'])
      (byLabel(label).click as () => void)();
    ((byLabel('Open Recent').submenu as MenuItemConstructorOptions[])[1]!.click as () => void)();
    expect(calls).toEqual(['open', 'open-session', 'save-session', 'save-session-as', 'export', 'recent 1']);
  });
});
