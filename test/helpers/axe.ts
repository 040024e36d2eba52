/**
 * Accessibility rules checked in the browser by axe-core (Deque's engine, the one browsers' own
 * audits use): {@link axeViolations} runs it on a page, or on a part of one, against the WCAG 2.1
 * A and AA rules. axe reads the page's rendered state (computed colours, the accessibility tree,
 * open shadow roots), so a test runs it in each state worth checking: theme, open dialog, form.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ImpactValue, RunOptions } from 'axe-core';
import type { Page } from 'playwright-core';

/** axe's tags for the success criteria of WCAG 2.0 and 2.1, levels A and AA. */
export const WCAG21_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** One rule a page breaks, with the elements that break it. */
export interface AxeViolation {
  /** axe's rule id, e.g. `color-contrast`. */
  rule: string;
  impact: ImpactValue | null | undefined;
  /** What the rule asks, in axe's words. */
  help: string;
  /** A selector for each element that breaks it, and axe's summary of why. */
  nodes: { target: string; why: string }[];
}

export interface AxeScope {
  /** Check only what this selector matches (default: the whole page). */
  include?: string;
  /** Leave out what these selectors match. */
  exclude?: string[];
  /** axe tags to run (default {@link WCAG21_AA_TAGS}). */
  tags?: string[];
}

/**
 * The axe-core rules `page` breaks in its current state, as plain data. axe is injected once per
 * document, with Playwright's evaluate (which a page's Content-Security-Policy does not block).
 */
export async function axeViolations(page: Page, scope: AxeScope = {}): Promise<AxeViolation[]> {
  return (await axeFindings(page, scope)).violations;
}

/**
 * Like {@link axeViolations}, with also what axe could not decide and asks a person to check
 * (`incomplete`: a text's colour over an image or a gradient, say).
 */
export async function axeFindings(page: Page, scope: AxeScope = {}): Promise<{ violations: AxeViolation[]; incomplete: AxeViolation[] }> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const context = scope.include || scope.exclude ? { include: scope.include ? [scope.include] : [['html']], exclude: (scope.exclude ?? []).map((s) => [s]) } : undefined;
  const options: RunOptions = { runOnly: { type: 'tag', values: scope.tags ?? WCAG21_AA_TAGS }, resultTypes: ['violations', 'incomplete'] };
  return page.evaluate(
    async ([context, options]) => {
      const axe = (window as unknown as { axe: typeof import('axe-core') }).axe;
      const results = await axe.run(context ?? document, options);
      const plain = (list: typeof results.violations) =>
        list.map((v) => ({
          rule: v.id,
          impact: v.impact,
          help: v.help,
          nodes: v.nodes.map((n) => ({ target: n.target.map(String).join(' >>> '), why: n.failureSummary?.replace(/\s+/g, ' ').trim() ?? '' })),
        }));
      return { violations: plain(results.violations), incomplete: plain(results.incomplete) };
    },
    [context, options] as const,
  );
}

/** The violations a test fails on: impact serious or critical. */
export function seriousViolations(violations: AxeViolation[]): AxeViolation[] {
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
