/** The site's name, for the header and page titles. */
import { loadSite } from './content';

export async function siteTitle(): Promise<string> {
  return (await loadSite()).siteTitle;
}
