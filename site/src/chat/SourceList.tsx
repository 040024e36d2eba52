/** The sources under an answer: rank, page and heading (linked), and the retrieval score. */
import { externalLinkProps, formatScore } from './sources';
import type { SourceInfo } from './types';

export function SourceList({ sources, resolveUrl }: { sources: readonly SourceInfo[]; resolveUrl: (url: string) => string }) {
  if (sources.length === 0) return null;
  return (
    <details className="dc-sources" open={sources.length <= 5}>
      <summary>
        Sources <span className="dc-count">{sources.length}</span>
      </summary>
      <ol className="dc-source-list">
        {sources.map((s) => (
          <li key={`${s.rank}-${s.url}`} className="dc-source">
            <span className="dc-source-rank" aria-hidden="true">
              {s.rank}
            </span>
            <a className="dc-source-link" href={resolveUrl(s.url)} {...externalLinkProps(resolveUrl(s.url))}>
              <span className="dc-source-title">{s.title}</span>
              {s.heading && s.heading !== s.title && <span className="dc-source-heading">{s.heading}</span>}
            </a>
            {/* Hidden words, not an aria-label: a label on a plain span is not read, and "0.76" alone means nothing. */}
            <span className="dc-score" title="Retrieval score (0–1)">
              <span className="dc-score-bar" style={{ width: `${Math.round(Math.max(0, Math.min(1, s.score)) * 100)}%` }} />
              <span className="dc-sr-only">score </span>
              {formatScore(s.score)}
            </span>
          </li>
        ))}
      </ol>
    </details>
  );
}
