/**
 * A `[n]` citation: a link to the cited page and heading. Hovering or focusing it shows a card
 * with the title, heading, snippet and score (positioned in the viewport, so a scrolling panel
 * never clips it). The link is labelled for screen readers with the same information.
 */
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { externalLinkProps, formatScore } from './sources';
import type { SourceInfo } from './types';

interface Position {
  top: number;
  left: number;
  above: boolean;
}

const CARD_WIDTH = 320;

export interface CitationLinkProps {
  n: number;
  href: string;
  source: SourceInfo | undefined;
  /** Right after another citation (`[1, 2]`): spaced so each keeps a 24 px target. Default: false. */
  afterCitation?: boolean;
}

/** One citation marker, with its hover/focus card. */
export function CitationLink({ n, href, source, afterCitation = false }: CitationLinkProps) {
  const id = useId();
  const ref = useRef<HTMLAnchorElement>(null);
  const hideTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const [position, setPosition] = useState<Position>();

  const show = useCallback(() => {
    clearTimeout(hideTimer.current);
    const rect = ref.current?.getBoundingClientRect();
    if (!rect) return;
    const above = rect.top > window.innerHeight * 0.55;
    const left = Math.max(8, Math.min(rect.left + rect.width / 2 - CARD_WIDTH / 2, window.innerWidth - CARD_WIDTH - 8));
    setPosition({ top: above ? rect.top - 8 : rect.bottom + 8, left, above });
  }, []);
  const hide = useCallback(() => {
    clearTimeout(hideTimer.current);
    hideTimer.current = setTimeout(() => setPosition(undefined), 120);
  }, []);

  useEffect(() => {
    if (!position) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        setPosition(undefined);
        event.stopPropagation();
      }
    };
    const onScroll = () => setPosition(undefined);
    window.addEventListener('keydown', onKey, true);
    window.addEventListener('scroll', onScroll, true);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      window.removeEventListener('scroll', onScroll, true);
    };
  }, [position]);
  useEffect(() => () => clearTimeout(hideTimer.current), []);

  const label = source
    ? `Source ${n}: ${source.title}${source.heading && source.heading !== source.title ? `, ${source.heading}` : ''} (score ${formatScore(source.score)})`
    : `Source ${n}`;

  return (
    <>
      <a
        ref={ref}
        href={href}
        {...externalLinkProps(href)}
        className={afterCitation ? 'dc-cite dc-cite-after' : 'dc-cite'}
        data-citation={n}
        aria-label={label}
        aria-describedby={position ? id : undefined}
        onMouseEnter={show}
        onMouseLeave={hide}
        onFocus={show}
        onBlur={hide}
      >
        {n}
      </a>
      {position && source && (
        <span
          id={id}
          role="tooltip"
          className={`dc-card${position.above ? ' dc-card-above' : ''}`}
          style={{ top: position.top, left: position.left, width: CARD_WIDTH }}
          onMouseEnter={show}
          onMouseLeave={hide}
        >
          <span className="dc-card-head">
            <span className="dc-card-title">{source.title}</span>
            <span className="dc-score" title="Retrieval score (0–1)">
              <span className="dc-sr-only">score </span>
              {formatScore(source.score)}
            </span>
          </span>
          {source.heading && source.heading !== source.title && <span className="dc-card-heading">§ {source.heading}</span>}
          {source.snippet && <span className="dc-card-snippet">{source.snippet}</span>}
          <span className="dc-card-path">{source.path}</span>
        </span>
      )}
    </>
  );
}
