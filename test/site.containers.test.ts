/**
 * remarkContainers() (the docs site): `::: tip` / `:::note[Title]` containers become callouts,
 * their markers no longer shown as text; remarkGeneratorSyntax() makes Hugo shortcodes and MkDocs
 * admonitions and content tabs such containers first.
 */
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { remarkContainers } from '../site/src/lib/remark-containers';
import { remarkGeneratorSyntax } from '../site/src/lib/remark-generator-syntax';

interface Node {
  type: string;
  value?: string;
  children?: Node[];
  data?: { hName?: string; hProperties?: { className?: string[] } };
}

/** The tree after the plugin, one line per top-level block: `element.classes: part | part` for a container. */
async function render(markdown: string): Promise<string[]> {
  // Async: remarkGeneratorSyntax() reads the site's pages for MyST references (none here).
  const processor = unified().use(remarkParse).use(remarkGeneratorSyntax).use(remarkContainers);
  const tree = (await processor.run(processor.parse(markdown), markdown)) as unknown as Node;
  return (tree.children ?? []).map(line);
}

function text(node: Node): string {
  return node.value ?? (node.children ?? []).map(text).join('');
}

function line(node: Node): string {
  if (node.type !== 'docentContainer') return `${node.type}: ${text(node)}`;
  const parts = (node.children ?? []).map((c) => (c.type === 'docentContainer' ? `[${line(c)}]` : text(c)));
  const open = (node.data!.hProperties as { open?: boolean } | undefined)?.open ? '[open]' : '';
  return `${node.data!.hName}${open}${(node.data!.hProperties?.className ?? []).map((c) => `.${c}`).join('')}: ${parts.join(' | ')}`;
}

describe('remarkContainers()', () => {
  it('turns VitePress and Docusaurus containers into callouts with a title, else their kind', async () => {
    expect(await render('::: warning\nDo not do this.\n:::\n\nAfter.\n')).toEqual(['aside.callout.callout-warning: Warning | Do not do this.', 'paragraph: After.']);
    expect(await render(':::tip[Pro tip]\n\nUse the cache.\n\n:::\n')).toEqual(['aside.callout.callout-tip: Pro tip | Use the cache.']);
    expect(await render('::: info Heads up\n- one\n- two\n:::\n')).toEqual(['aside.callout.callout-info: Heads up | onetwo']);
    expect(await render('::: details Click me\nHidden.\n:::\n')).toEqual(['details.callout.callout-details: [summary: Click me] | Hidden.']);
    expect(await render('::: code-group\n\n```sh [npm]\nnpm i\n```\n\n:::\n')).toEqual(['div.code-group: npm i']);
  });

  it('keeps a Hugo callout indented in a list item inside the item: the list goes on after it', async () => {
    const out = await render('1. Install.\n\n    {{< note >}}\n    Needs Node 20.\n    {{< /note >}}\n2. Run.\n');
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^list: /);
    expect(out[0]).toContain('Needs Node 20.');
  });

  it('shows a details block open when its marker says {open} (VitePress), MkDocs\' ???+ and pymdownx\' open: true alike', async () => {
    expect(await render('::: details Click me {open}\nShown.\n:::\n')).toEqual(['details[open].callout.callout-details: [summary: Click me] | Shown.']);
    expect(await render('::: details {open}\nShown.\n:::\n')).toEqual(['details[open].callout.callout-details: [summary: Details] | Shown.']);
    expect(await render('???+ note "Open one"\n    Shown.\n')).toEqual(['details[open].callout.callout-details: [summary: Open one] | Shown.']);
    expect(await render('/// details | More\n    open: True\n\nShown.\n///\n')).toEqual(['details[open].callout.callout-details: [summary: More] | Shown.']);
    expect(await render('::: details Closed {.wide}\nHidden.\n:::\n')).toEqual(['details.callout.callout-details: [summary: Closed] | Hidden.']);
  });

  it('turns GitHub alerts (a blockquote opening with [!NOTE]) into callouts, and leaves other blockquotes alone', async () => {
    expect(await render('> [!WARNING]\n> Careful.\n>\n> - a\n> - b\n')).toEqual(['aside.callout.callout-warning: Warning | Careful. | ab']);
    expect(await render('> [!tip]- Folded title\n> Body.\n')).toEqual(['aside.callout.callout-tip: Folded title | Body.']);
    expect(await render('> Plain [!NOTE] quote.\n\n> [!NOTE] **Bold** title\n')).toEqual(['blockquote: Plain [!NOTE] quote.', 'blockquote: [!NOTE] Bold title']);
  });

  it('nests a container inside one opened with more colons, reads markers on adjacent lines, and leaves one never closed as text', async () => {
    expect(await render('::::note Outer\nA.\n\n:::tip\nB.\n:::\n\n::::\n')).toEqual(['aside.callout.callout-note: Outer | A. | [aside.callout.callout-tip: Tip | B.]']);
    expect(await render('::: warning\nNever closed.\n')).toEqual(['paragraph: ::: warning', 'paragraph: Never closed.']);
    // Markers without blank lines around them: one container closes on the line before the next opens.
    expect(await render('::: warning\nA.\n:::\n::: tip\nB.\n:::\n')).toEqual(['aside.callout.callout-warning: Warning | A.', 'aside.callout.callout-tip: Tip | B.']);
    expect(await render('Time is 10:30 ::: not a marker.\n')).toEqual(['paragraph: Time is 10:30 ::: not a marker.']);
  });
});

describe('remarkGeneratorSyntax()', () => {
  it('renders MkDocs admonitions, collapsible blocks and content tabs as callouts, their indented content as markdown', async () => {
    expect(await render('!!! warning "Back up first"\n    The migration **rewrites** it.\n\n    - one\n    - two\nAfter.\n')).toEqual([
      'aside.callout.callout-warning: Back up first | The migration rewrites it. | onetwo',
      'paragraph: After.',
    ]);
    expect(await render('Intro.\n??? note\n    Hidden.\n')).toEqual(['paragraph: Intro.', 'details.callout.callout-details: [summary: Note] | Hidden.']);
    expect(await render('/// warning | Careful\nIt is **shared**.\n///\n')).toEqual(['aside.callout.callout-warning: Careful | It is shared.']);
    expect(await render('=== "npm"\n    ```sh\n    npm i\n    ```\n=== "pnpm"\n    pnpm add\n')).toEqual(['aside.callout.callout-tab: npm | npm i', 'aside.callout.callout-tab: pnpm | pnpm add']);
  });

  it('renders MyST directives as callouts and details, tab sets as their tabs, and roles as their text', async () => {
    expect(await render('```{warning} Careful\nIt is **shared**.\n```\n````{tab-set}\n```{tab-item} pip\npip install x\n```\n````\n:::{dropdown} More\n:open:\nHidden.\n:::\n')).toEqual([
      'aside.callout.callout-warning: Careful | It is shared.',
      'aside.callout.callout-tab: pip | pip install x',
      'details[open].callout.callout-details: [summary: More] | Hidden.',
    ]);
    expect(await render('(label)=\nSee {ref}`the guide <install>`.\n')).toEqual(['paragraph: See the guide.']);
  });

  it('renders Hugo callout and tab shortcodes as callouts, other shortcodes as their text', async () => {
    expect(await render('{{< note >}}\nPods are **small**.\n{{< /note >}}\n{{% alert title="Careful" color="warning" %}}\nBack up.\n{{% /alert %}}\n')).toEqual([
      'aside.callout.callout-note: Note | Pods are small.',
      'aside.callout.callout-warning: Careful | Back up.',
    ]);
    expect(await render('See {{< glossary_tooltip text="Services" term_id="service" >}} and [Pods]({{< ref "pods.md" >}}).\n')).toEqual(['paragraph: See Services and Pods.']);
  });

  it('nests admonitions, reads them in list items, and leaves a page without them as parsed (indented code stays code)', async () => {
    expect(await render('!!! note "Outer"\n    A.\n\n    !!! tip\n        B.\n')).toEqual(['aside.callout.callout-note: Outer | A. | [aside.callout.callout-tip: Tip | B.]']);
    expect(await render('Text.\n\n    !!! note\n    code\n')).toEqual(['paragraph: Text.', 'code: !!! note\ncode']);
    // Inside a list item: the item holds the callout.
    const markdown = '1. Configure:\n\n    !!! warning "Careful"\n        Back up first.\n';
    const processor = unified().use(remarkParse).use(remarkGeneratorSyntax).use(remarkContainers);
    const list = ((await processor.run(processor.parse(markdown), markdown)) as unknown as Node).children![0]!;
    expect(list.children![0]!.children!.map(line)).toEqual(['paragraph: Configure:', 'aside.callout.callout-warning: Careful | Back up first.']);
  });
});
