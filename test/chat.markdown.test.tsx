import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { citedNumbers } from '../site/src/chat/citations';
import { AnswerMarkdown } from '../site/src/chat/Markdown';
import type { SourceInfo } from '../site/src/chat/types';

const sources: SourceInfo[] = [
  { rank: 1, score: 0.82, path: 'api/routing.md', title: 'Routing', heading: 'Path Parameter', url: '/api/routing/#path-parameter', snippet: 'Use :name' },
  { rank: 2, score: 0.41, path: 'guide/quick-start.md', title: 'Quick start', heading: '', url: '/guide/quick-start/', snippet: 'Install' },
];

const render = (text: string, extra: Partial<Parameters<typeof AnswerMarkdown>[0]> = {}) =>
  renderToStaticMarkup(<AnswerMarkdown text={text} sources={sources} {...extra} />);

describe('AnswerMarkdown citations', () => {
  it('links [n] to the source of rank n, with its URL and anchor', () => {
    const html = render('Use a path parameter [1].');
    expect(html).toContain('href="/api/routing/#path-parameter"');
    expect(html).toMatch(/<a[^>]*class="dc-cite"[^>]*>1<\/a>/);
    expect(html).toContain('aria-label="Source 1: Routing, Path Parameter (score 0.82)"');
  });

  it('links each number of [1, 2] and [1][2]', () => {
    for (const text of ['Both [1, 2].', 'Both [1][2].']) {
      const html = render(text);
      expect(html.match(/class="dc-cite[ "]/g)).toHaveLength(2);
      expect(html).toContain('href="/guide/quick-start/"');
    }
  });

  it('marks a citation right after another one, to space them apart (24 px targets), and no other', () => {
    for (const text of ['Both [1, 2].', 'Both [1][2].']) {
      expect(render(text)).toMatch(/class="dc-cite"[^>]*>1<\/a><a[^>]*class="dc-cite dc-cite-after"[^>]*>2<\/a>/);
    }
    expect(render('One [1] and two [2].')).not.toContain('dc-cite-after');
  });

  it('never links a number that matches no source', () => {
    const html = render('Valid [1], invalid [9] and [1, 7].');
    expect(html.match(/class="dc-cite[ "]/g)).toHaveLength(2);
    expect(html).toContain('[9]');
    expect(html).toContain('[7]');
  });

  it('leaves markers inside code alone', () => {
    const html = render('Index with `arr[1]`:\n\n```js\nconst x = arr[1]\n```');
    expect(html).not.toContain('dc-cite');
  });

  it('resolves source URLs against the Docent server (standalone widget)', () => {
    const html = render('See [1].', { resolveUrl: (u) => new URL(u, 'https://docs.example.com').href });
    expect(html).toContain('href="https://docs.example.com/api/routing/#path-parameter"');
  });

  it("resolves the answer's other site-relative links against the Docent server too (quotes' links, the closest pages)", () => {
    const resolveUrl = (u: string) => new URL(u, 'https://docs.example.com').href;
    const html = render('See [Postgres](/guides/deployment/#postgres) [1], [MDN](https://developer.mozilla.org/), [top](#top) and ![a](/img/a.png).', { resolveUrl });
    expect(html).toContain('href="https://docs.example.com/guides/deployment/#postgres"');
    expect(html).toContain('href="https://docs.example.com/api/routing/#path-parameter"');
    expect(html).toContain('href="https://developer.mozilla.org/"');
    expect(html).toContain('href="#top"');
    expect(html).toContain('href="https://docs.example.com/img/a.png"');
    expect(render('[x](javascript:alert(1))', { resolveUrl })).not.toContain('javascript:');
  });

  it('keeps [n] a citation to source n whatever link definitions the text holds', () => {
    for (const text of [
      'Set PORT [1].\n\n[1]: https://evil.example.com/phish\n',
      'Set PORT [1].\n\n[1]: <https://evil.example.com/phish> "Source"\n[2]: /elsewhere/',
      'Both [1][2].\n\n[2]: https://evil.example.com/phish',
    ]) {
      const html = render(text);
      expect(html).not.toContain('evil.example.com');
      expect(html).not.toContain('/elsewhere/');
      expect(html).toMatch(/<a[^>]*href="\/api\/routing\/#path-parameter"[^>]*class="dc-cite"[^>]*>1<\/a>/);
    }
    expect(render('Both [1][2].\n\n[2]: https://evil.example.com/phish').match(/class="dc-cite[ "]/g)).toHaveLength(2);
    // Other reference links still work.
    expect(render('See [the docs][docs].\n\n[docs]: https://hono.dev')).toContain('href="https://hono.dev"');
  });

  it('shows a reference-style link on a citation, [the guide][1], as "the guide [1]", also in answers stored before the server wrote it so', () => {
    const plain = (text: string) => render(text).replace(/<a [^>]*class="dc-cite[^"]*"[^>]*>(\d+)<\/a>/g, '{$1}');
    // Stored without the definition (the server removed it), or with it (an answer from elsewhere).
    expect(plain('See [the guide][1] for details.')).toBe('<p>See the guide {1} for details.</p>');
    expect(plain('See [the guide][1].\n\n[1]: https://x.example/')).toBe('<p>See the guide {1}.</p>');
    expect(plain('See [*the* guide][2].\n\n[2]: https://x.example/')).toBe('<p>See <em>the</em> guide {2}.</p>');
    expect(plain('Read [routing][1][the start][2] and [both][1, 2].')).toBe('<p>Read routing {1}the start {2} and both {1}{2}.</p>');
    // A number that is no source stays text, as a lone [9] does.
    expect(plain('See [old page][9].')).toBe('<p>See old page [9].</p>');
    // Left as written: citations after citations, images, code, a space between, escapes.
    expect(plain('Both [1][2].')).toBe('<p>Both {1}{2}.</p>');
    expect(plain('![diagram][1] and `[x][1]` and [x] [1]')).toBe('<p>![diagram]{1} and <code>[x][1]</code> and [x] {1}</p>');
    expect(plain('\\[x][1]')).toBe('<p>[x]{1}</p>');
    expect(plain('    arr[x][1]\n')).toBe('<div class="dc-code-block"><pre role="region" aria-label="Code" tabindex="0"><code>arr[x][1]\n</code></pre><div class="dc-code-tools"></div></div>');
  });

  it('citedNumbers lists every marker once, valid or not', () => {
    expect(citedNumbers('a [2] b [1, 2] c [9] `[4]`')).toEqual([2, 1, 9, 4]);
  });
});

describe('AnswerMarkdown safety', () => {
  it('shows raw HTML from the model as text, never as elements', () => {
    const html = render('Hi <img src=x onerror="alert(1)"> <script>alert(2)</script>\n\n<iframe src="https://evil.example"></iframe>');
    expect(html).not.toMatch(/<img|<script|<iframe/i);
    expect(html).toContain('&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(html).toContain('&lt;iframe');
  });

  it('drops javascript: links and shows images as links', () => {
    const html = render('[click](javascript:alert(1)) ![logo](https://img.example/logo.png)');
    expect(html).not.toContain('javascript:');
    // The link's text stays, as text: a link to "" would reload the (host) page.
    expect(html).toContain('<p>click <a');
    expect(render('[data](data:text/html,hi) and [empty]()')).toBe('<p>data and empty</p>');
    expect(html).not.toContain('<img');
    expect(html).toContain('href="https://img.example/logo.png"');
  });

  it('opens external links in a new tab without an opener', () => {
    for (const text of ['[Hono](https://hono.dev)', '[CDN](//cdn.example/x)', '<https://attacker.example/>']) {
      const html = render(text);
      expect(html).toContain('target="_blank"');
      expect(html).toContain('rel="noopener noreferrer nofollow"');
    }
  });
});

describe('AnswerMarkdown code highlighting', () => {
  it('highlights fenced code with a known language and leaves others plain', () => {
    const html = render("```ts\nconst a: number = 1 // one\n```\n\n```\nplain text\n```\n\n```brainfuck\n+++\n```");
    expect(html).toContain('class="language-ts hljs"');
    expect(html).toContain('<span class="hljs-keyword">const</span>');
    expect(html).toContain('<span class="hljs-comment">// one</span>');
    expect(html).toContain('<code>plain text\n</code>');
    expect(html).toContain('<code class="language-brainfuck">+++\n</code>');
  });

  it('puts each code block in a named region the keyboard reaches, to scroll a long line sideways', () => {
    const html = render('```ts\nconst a = 1\n```\n\n```\nplain\n```');
    expect(html).toContain('<pre role="region" aria-label="Code: ts" tabindex="0">');
    expect(html).toContain('<pre role="region" aria-label="Code" tabindex="0">');
  });

  it('renders GFM tables', () => {
    expect(render('| a | b |\n|---|---|\n| 1 | 2 |')).toContain('<table>');
  });
});
