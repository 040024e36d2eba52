/**
 * templateTagsAsMarkdown(): Hugo shortcodes (Docsy, the Kubernetes docs, Hugo Learn) made
 * markdown, line for line: callouts and tabs become `:::` containers, other shortcodes their text.
 */
import { describe, expect, it } from 'vitest';
import { templateTagsAsMarkdown } from '../ingest/template-tags';

const lines = (...l: string[]) => l.join('\n');

describe('templateTagsAsMarkdown()', () => {
  it('returns a page without tags as it is, and leaves {{ output }} alone', () => {
    const page = lines('# Title', '', 'Vue writes {{ message }} and {{ a % b }}.', '');
    expect(templateTagsAsMarkdown(page)).toBe(page);
  });

  it('writes callout, tab and details shortcodes on their own lines as containers, nested ones with more colons', () => {
    const page = lines(
      '{{< note >}}',
      'Pods are the smallest units.',
      '{{< /note >}}',
      '{{% alert title="Back up first" color="warning" %}}',
      'It rewrites the table.',
      '{{% /alert %}}',
      '{{% notice tip "Hint" %}}',
      'Tip.',
      '{{% /notice %}}',
      '{{< tabs >}}',
      '{{% tab name="npm" %}}',
      '{{< caution >}}',
      'Inner.',
      '{{< /caution >}}',
      '{{% /tab %}}',
      '{{< /tabs >}}',
      '{{< details summary="More" >}}',
      'Hidden.',
      '{{< /details >}}',
    );
    expect(templateTagsAsMarkdown(page).split('\n')).toEqual([
      '::: note',
      'Pods are the smallest units.',
      ':::',
      '::: warning Back up first',
      'It rewrites the table.',
      ':::',
      '::: tip Hint',
      'Tip.',
      ':::',
      '',
      ':::: tab npm',
      '::: caution',
      'Inner.',
      ':::',
      '::::',
      '',
      '::: details More',
      'Hidden.',
      ':::',
    ]);
  });

  it('keeps the text of other shortcodes, and leaves escaped ones, fenced code and unclosed callouts alone', () => {
    const page = lines(
      'See [Pods]({{< ref "pods.md" >}}) and {{< glossary_tooltip text="Services" term_id="service" >}}, v{{< param "version" >}}.',
      '{{< figure src="a.png" caption="The architecture" >}}',
      '{{< youtube abc >}}',
      'Write {{</* note */>}} to add a note.',
      '```',
      '{{< note >}}',
      '```',
      '{{< warning >}}',
      'Never closed.',
    );
    expect(templateTagsAsMarkdown(page).split('\n')).toEqual([
      'See [Pods](pods.md) and Services, v.',
      'The architecture',
      '',
      'Write {{</* note */>}} to add a note.',
      '```',
      '{{< note >}}',
      '```',
      '',
      'Never closed.',
    ]);
  });

  it('leaves shortcodes in inline code as written, and reads a line of inline code with three backticks as no fence', () => {
    const page = lines('Write `{{< note >}}` … `{{< /note >}}`.', '  ``` `limit` (number) ``` is inline code', '{{< note >}}', 'Converted.', '{{< /note >}}');
    expect(templateTagsAsMarkdown(page).split('\n')).toEqual(['Write `{{< note >}}` … `{{< /note >}}`.', '  ``` `limit` (number) ``` is inline code', '::: note', 'Converted.', ':::']);
  });

  it('reads closings written {{</ note >}} and names with a slash (Hugo partial shortcodes)', () => {
    const page = lines('    {{< note >}}', 'Assign it to more than one.', '    {{</ note >}}', 'Use {{% variables/product_name %}} here.');
    expect(templateTagsAsMarkdown(page).split('\n')).toEqual(['::: note', 'Assign it to more than one.', ':::', 'Use  here.']);
  });

  it('keeps the indentation of a callout inside a list item (the list goes on), not of one elsewhere', () => {
    expect(templateTagsAsMarkdown(['1. Install.', '', '    {{< note >}}', '    Needs Node 20.', '    {{< /note >}}', '2. Run.'].join('\n')).split('\n')).toEqual([
      '1. Install.',
      '',
      '    ::: note',
      '    Needs Node 20.',
      '    :::',
      '2. Run.',
    ]);
    expect(templateTagsAsMarkdown(['Text.', '', '    {{< note >}}', 'Not in a list.', '    {{< /note >}}'].join('\n')).split('\n')).toEqual(['Text.', '', '::: note', 'Not in a list.', ':::']);
  });

  it('keeps a details shortcode open when it says open=true', () => {
    expect(templateTagsAsMarkdown('{{< details summary="More" open=true >}}\nx\n{{< /details >}}').split('\n')).toEqual(['::: details More {open}', 'x', ':::']);
    expect(templateTagsAsMarkdown('{{< details "Less" >}}\nx\n{{< /details >}}').split('\n')).toEqual(['::: details Less', 'x', ':::']);
  });

  it('gives a tab without a title the one its tab set lists: by order (items=) or by id (tabName1/tabID1)', () => {
    const hextra = ['{{< tabs items="JSON,YAML, TOML" >}}', '{{< tab >}}', 'a', '{{< /tab >}}', '{{< tab >}}', 'b', '{{< /tab >}}', '{{< tab >}}', 'c', '{{< /tab >}}', '{{< /tabs >}}'];
    expect(templateTagsAsMarkdown(hextra.join('\n')).split('\n')).toEqual(['', '::: tab JSON', 'a', ':::', '::: tab YAML', 'b', ':::', '::: tab TOML', 'c', ':::', '']);

    const byId = [
      '{{< tabs tabTotal="2" tabID1="pipx" tabID2="installer" tabName1="With pipx" tabName2="With the official installer">}}',
      '{{< tab tabID="installer" >}}',
      'curl',
      '{{< /tab >}}',
      '{{< tab tabID="pipx" >}}',
      'pipx install poetry',
      '{{< /tab >}}',
      '{{< tab "Own title" >}}',
      'x',
      '{{< /tab >}}',
      '{{< /tabs >}}',
      '{{< tab >}}',
      'outside any set',
      '{{< /tab >}}',
    ];
    expect(templateTagsAsMarkdown(byId.join('\n')).split('\n')).toEqual([
      '',
      '::: tab With the official installer',
      'curl',
      ':::',
      '::: tab With pipx',
      'pipx install poetry',
      ':::',
      '::: tab Own title',
      'x',
      ':::',
      '',
      '::: tab',
      'outside any set',
      ':::',
    ]);
  });

  it('reads Liquid tags: GitBook hints and tabs, Jekyll code highlights, raw and includes', () => {
    const page = lines(
      '{% hint style="warning" %}',
      'Back up first.',
      '{% endhint %}',
      '{% tabs %}',
      '{% tab title="npm" %}',
      'npm i',
      '{% endtab %}',
      '{% endtabs %}',
      '{% highlight ruby %}',
      'puts "{% not a tag %}"',
      '{% endhighlight %}',
      '{% raw %}',
      '{% keep %}',
      '{% endraw %}',
      '{% include note.html content="A Jekyll note." %}',
      '{% embed url="https://example.com/video" %}',
      '{% code title="index.js" %}',
      'Inline {% if x %}text{% endif %}, and {{% alert %}} is Hugo.',
    );
    expect(templateTagsAsMarkdown(page).split('\n')).toEqual([
      '::: warning',
      'Back up first.',
      ':::',
      '',
      '::: tab npm',
      'npm i',
      ':::',
      '',
      '```ruby',
      'puts "{% not a tag %}"',
      '```',
      '',
      '{% keep %}',
      '',
      'A Jekyll note.',
      'https://example.com/video',
      'index.js',
      'Inline text, and  is Hugo.',
    ]);
  });
});
