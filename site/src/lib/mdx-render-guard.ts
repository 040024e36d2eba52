/**
 * A page whose MDX fails when it is rendered is shown with a notice instead of stopping the whole
 * site's build. Docs written for another generator use what only that generator gives a page: a
 * variable it defines (the ones Docusaurus defines have stand-ins, `mdx-imports.ts`), a
 * component's value used as something else.
 * MDX compiles each page to a module whose `_createMdxContent(props)` renders it; this wraps it so
 * an error thrown while rendering is reported (page and message) and the page shows a notice.
 * Ingest does not run a page's JavaScript, so its text is indexed either way.
 */

/** The compiled MDX module `code` of the page at `page` (content-relative), its rendering guarded. */
export function guardMdxRendering(code: string, page: string): string {
  const signature = 'function _createMdxContent(props) {';
  if (!code.includes(signature)) return code;
  const notice = `This page could not be shown here: it uses something only its own site generator provides.`;
  // The notice is an element of Astro's JSX runtime, as the page's own content is.
  return `import { jsx as __docentJsx } from 'astro/jsx-runtime';\n${code}`.replace(
    signature,
    `function _createMdxContent(props) {
  try {
    return __docentCreateMdxContent(props);
  } catch (error) {
    console.warn(${JSON.stringify(`[docent] ${page}: could not be rendered (`)} + (error && error.message) + '): shown with a notice instead');
    return __docentJsx('p', { class: 'docent-render-error', children: ${JSON.stringify(notice)} });
  }
}
function __docentCreateMdxContent(props) {`,
  );
}
