/**
 * The `id`s of the elements of an HTML fragment (a page's rendered content), their character
 * references decoded (`a&amp;b` is `a&b`): the table of contents links only headings that are there.
 */
export function idsIn(html: string): Set<string> {
  return new Set([...html.matchAll(/<[a-zA-Z][^>]*?\sid=(?:"([^"]*)"|'([^']*)')/g)].map((m) => decodeReferences(m[1] ?? m[2] ?? '')));
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeReferences(text: string): string {
  return text.replace(/&(?:#[xX]([\da-fA-F]+)|#(\d+)|([a-zA-Z]+));/g, (whole, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
    if (hex !== undefined || dec !== undefined) {
      const code = hex !== undefined ? parseInt(hex, 16) : Number(dec);
      return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[name!] ?? whole;
  });
}
