/** The standalone widget's script-tag options (site/src/widget/options.ts): checked, and reported by name when unusable. */
import { describe, expect, it } from 'vitest';
import { readWidgetOptions, type WidgetAttributes } from '../site/src/widget/options';

const SCRIPT = 'https://docent.example.com/widget.js';
const PAGE = 'https://docs.example.com/guide/intro/';

function read(dataset: WidgetAttributes) {
  const reports: string[] = [];
  const options = readWidgetOptions({ dataset, scriptSrc: SCRIPT, pageUrl: PAGE, report: (level, message) => reports.push(`${level}: ${message}`) });
  return { options, reports };
}

describe('readWidgetOptions', () => {
  it('talks to the server the script came from by default', () => {
    expect(read({})).toEqual({ options: { base: 'https://docent.example.com', label: undefined, theme: 'auto' }, reports: [] });
    // An inline script: the page's own origin, through relative URLs.
    expect(readWidgetOptions({ dataset: {}, scriptSrc: undefined, pageUrl: PAGE }).base).toBe('');
  });

  it.each([
    ['https://chat.example.com/', 'https://chat.example.com'],
    ['  http://localhost:4461  ', 'http://localhost:4461'],
    ['https://docs.example.com/docent/', 'https://docs.example.com/docent'],
    ['//chat.example.com', 'https://chat.example.com'],
    ['/', 'https://docs.example.com'],
    ['/docent', 'https://docs.example.com/docent'],
  ])('accepts data-docent-url=%j as %s', (value, base) => {
    expect(read({ docentUrl: value })).toMatchObject({ options: { base }, reports: [] });
  });

  it.each(['localhost:4461', 'docent.example.com', 'docent', 'ftp://docent.example.com', 'javascript:alert(1)', 'https://'])(
    'reports data-docent-url=%j by name in a console error, and uses the script’s server instead',
    (value) => {
      const { options, reports } = read({ docentUrl: value });
      expect(options.base).toBe('https://docent.example.com');
      expect(reports).toEqual([expect.stringMatching(/^error: Docent widget: data-docent-url=".*" is not a URL the widget can use: .*https:\/\/docent\.example\.com, where widget\.js came from/)]);
      expect(reports[0]).toContain(JSON.stringify(value));
    },
  );

  it('takes data-theme in any letter case, and warns about a value it does not know', () => {
    expect(read({ theme: 'DARK' })).toMatchObject({ options: { theme: 'dark' }, reports: [] });
    expect(read({ theme: ' Light ' }).options.theme).toBe('light');
    const purple = read({ theme: 'purple' });
    expect(purple.options.theme).toBe('auto');
    expect(purple.reports).toEqual(['warn: Docent widget: data-theme="purple" is not light, dark or auto: using auto (the host page\'s light or dark theme, else the reader\'s system setting).']);
  });

  it('uses a trimmed label, or the default for an empty one', () => {
    expect(read({ label: '  Ask Acme ' }).options.label).toBe('Ask Acme');
    expect(read({ label: '   ' }).options.label).toBeUndefined();
  });
});
