/**
 * A status message (`role="status"`) that is in the page, empty, before its words arrive. Screen
 * readers announce a live region's changes, not its first content: several (NVDA, VoiceOver
 * with some browsers) say nothing of a region inserted already filled. As the ARIA authoring
 * practices advise, the region comes first and its text a moment later; once there, the region
 * stays, and each change of its text is said.
 */
import { useEffect, useState, type ReactNode } from 'react';

/**
 * How long a new region stays empty (ms): long enough for the browser to have told assistive
 * technology of it, short enough not to be seen (the busy dots beside it show at once).
 */
export const LIVE_REGION_LEAD_MS = 100;

export interface LiveStatusProps {
  /** What the status says. Nothing: the region stays, empty. */
  children?: ReactNode;
  className?: string | undefined;
  /** The element of the region. Default: `div`. */
  as?: 'div' | 'p' | 'span';
}

/** A `role="status"` region whose content appears {@link LIVE_REGION_LEAD_MS} after the region itself. */
export function LiveStatus({ children, className, as: Tag = 'div' }: LiveStatusProps) {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setReady(true), LIVE_REGION_LEAD_MS);
    return () => clearTimeout(timer);
  }, []);
  return (
    <Tag className={className} role="status">
      {ready ? children : null}
    </Tag>
  );
}
