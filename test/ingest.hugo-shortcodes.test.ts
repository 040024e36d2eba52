/**
 * hugoShortcodesAsMarkdown(): Hugo shortcodes (Docsy, the Kubernetes docs, Hugo Learn) made
 * markdown, line for line: callouts and tabs become `:::` containers, other shortcodes their text.
 */
import { describe, expect, it } from 'vitest';
import { hugoShortcodesAsMarkdown } from '../ingest/hugo-shortcodes';

const lines = (...l: string[]) => l.join('\n');

describe('hugoShortcodesAsMarkdown()', () => {
  it('returns a page without shortcodes as it is', () => {
    const page = lines('# Title', '', 'Vue writes {{ message }} and Jinja {% raw %}.', '');
    expect(hugoShortcodesAsMarkdown(page)).toBe(page);
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
    expect(hugoShortcodesAsMarkdown(page).split('\n')).toEqual([
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
    expect(hugoShortcodesAsMarkdown(page).split('\n')).toEqual([
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
    expect(hugoShortcodesAsMarkdown(page).split('\n')).toEqual(['Write `{{< note >}}` … `{{< /note >}}`.', '  ``` `limit` (number) ``` is inline code', '::: note', 'Converted.', ':::']);
  });

  it('reads closings written {{</ note >}} and names with a slash (Hugo partial shortcodes)', () => {
    const page = lines('    {{< note >}}', 'Assign it to more than one.', '    {{</ note >}}', 'Use {{% variables/product_name %}} here.');
    expect(hugoShortcodesAsMarkdown(page).split('\n')).toEqual(['::: note', 'Assign it to more than one.', ':::', 'Use  here.']);
  });
});
