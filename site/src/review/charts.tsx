/**
 * Small hand-rolled SVG charts for the review page (no chart library): weekly ratings, weekly
 * positive rate, and the documents most cited in down-voted answers. Each has a text summary for
 * screen readers and `<title>` tooltips on its marks. The weekly charts space weeks by time: a week
 * without feedback keeps its place, with no mark, and the rating line breaks there.
 */
import { positivePercent } from './format';
import type { ReviewStats, WeeklyStats } from './types';
import { fillWeekGaps } from './weeks';

const W = 560;
const H = 200;
const PAD = { top: 14, right: 16, bottom: 28, left: 44 };
/** Widest bar, so a chart with one or two weeks does not draw slabs. */
const MAX_BAR = 44;

function shortWeek(week: string): string {
  const d = new Date(`${week}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? week : d.toLocaleDateString('en', { month: 'short', day: 'numeric', timeZone: 'UTC' });
}

function Empty({ text }: { text: string }) {
  return <p className="rv-chart-empty">{text}</p>;
}

/** Whether week `i` of `count` gets an axis label (at most about 12 labels). */
const labelled = (i: number, count: number) => count <= 12 || i % Math.ceil(count / 12) === 0;

/**
 * An SVG path through `points`, one segment per run of consecutive points: a `null` (a week
 * without an average) breaks the line instead of joining its neighbours across the gap.
 */
export function brokenLinePath(points: readonly (readonly [number, number] | null)[]): string {
  let pen = false;
  const parts: string[] = [];
  for (const p of points) {
    if (!p) {
      pen = false;
      continue;
    }
    parts.push(`${pen ? 'L' : 'M'}${p[0].toFixed(1)},${p[1].toFixed(1)}`);
    pen = true;
  }
  return parts.join(' ');
}

/** Weekly average rating (line, 1–5) over the number of ratings (bars). */
export function RatingsChart({ weekly }: { weekly: WeeklyStats[] }) {
  const weeks = fillWeekGaps(weekly);
  const rated = weeks.filter((w) => w.feedback > 0);
  if (rated.length === 0) return <Empty text="No feedback in this period." />;
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const step = innerW / weeks.length;
  const maxCount = Math.max(...weeks.map((w) => w.feedback), 1);
  const x = (i: number) => PAD.left + step * i + step / 2;
  const yRating = (r: number) => PAD.top + innerH - ((r - 1) / 4) * innerH;
  const points = weeks.map((w, i) => (w.averageRating === null ? null : ([x(i), yRating(w.averageRating)] as const)));
  const summary = rated.map((w) => `${shortWeek(w.week)}: ${w.averageRating?.toFixed(1) ?? 'no'} average from ${w.feedback} answers rated`).join('; ');
  return (
    <svg viewBox={`0 0 ${W} ${H}`} className="rv-chart" role="img" aria-label={`Average rating per week. ${summary}`}>
      {[1, 2, 3, 4, 5].map((r) => (
        <g key={r}>
          <line x1={PAD.left} x2={W - PAD.right} y1={yRating(r)} y2={yRating(r)} className="rv-grid" />
          <text x={PAD.left - 8} y={yRating(r) + 4} className="rv-axis" textAnchor="end">
            {r}★
          </text>
        </g>
      ))}
      {weeks.map((w, i) => {
        if (w.feedback === 0) return null;
        const h = (w.feedback / maxCount) * innerH * 0.45;
        return (
          <rect key={w.week} x={x(i) - Math.min(step * 0.3, MAX_BAR / 2)} width={Math.min(step * 0.6, MAX_BAR)} y={PAD.top + innerH - h} height={h} className="rv-bar-muted" rx={3}>
            <title>{`${shortWeek(w.week)}: ${w.feedback} feedback`}</title>
          </rect>
        );
      })}
      <path d={brokenLinePath(points)} className="rv-line" />
      {points.map((p, i) =>
        p ? (
          <circle key={weeks[i]!.week} cx={p[0]} cy={p[1]} r={4} className="rv-dot">
            <title>{`${shortWeek(weeks[i]!.week)}: average ${weeks[i]!.averageRating?.toFixed(2)} (${weeks[i]!.feedback} feedback)`}</title>
          </circle>
        ) : null,
      )}
      {weeks.map((w, i) =>
        labelled(i, weeks.length) ? (
          <text key={w.week} x={x(i)} y={H - 8} className="rv-axis" textAnchor="middle">
            {shortWeek(w.week)}
          </text>
        ) : null,
      )}
    </svg>
  );
}

/** Share of thumbs-up per week, 0–100%. */
export function PositiveRateChart({ weekly }: { weekly: WeeklyStats[] }) {
  const weeks = fillWeekGaps(weekly);
  const voted = weeks.filter((w) => w.up + w.down > 0);
  if (voted.length === 0) return <Empty text="No votes in this period." />;
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const step = innerW / weeks.length;
  const y = (rate: number) => PAD.top + innerH - rate * innerH;
  const summary = voted.map((w) => `${shortWeek(w.week)}: ${positivePercent(w.up, w.down)} of ${w.up + w.down}`).join('; ');
  return (
    <svg viewBox={`0 0 ${W} ${H}`} className="rv-chart" role="img" aria-label={`Positive rate per week. ${summary}`}>
      {[0, 0.25, 0.5, 0.75, 1].map((r) => (
        <g key={r}>
          <line x1={PAD.left} x2={W - PAD.right} y1={y(r)} y2={y(r)} className="rv-grid" />
          <text x={PAD.left - 8} y={y(r) + 4} className="rv-axis" textAnchor="end">
            {Math.round(r * 100)}%
          </text>
        </g>
      ))}
      {weeks.map((w, i) => {
        const votes = w.up + w.down;
        const rate = votes ? w.up / votes : 0;
        const bw = Math.min(step * 0.6, MAX_BAR);
        const bx = PAD.left + step * i + (step - bw) / 2;
        return (
          <g key={w.week}>
            {votes > 0 && (
              <rect x={bx} width={bw} y={y(rate)} height={Math.max(1, innerH * rate)} rx={3} className={rate >= 0.5 ? 'rv-bar-good' : 'rv-bar-bad'}>
                <title>{`${shortWeek(w.week)}: ${positivePercent(w.up, w.down)} positive (${w.up} up, ${w.down} down)`}</title>
              </rect>
            )}
            {labelled(i, weeks.length) && (
              <text x={bx + bw / 2} y={H - 8} className="rv-axis" textAnchor="middle">
                {shortWeek(w.week)}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}

/** Width of a character of the 11px axis text, a little over the widest digit, so a value label is never cut off. */
const CHAR_W = 7;
/** Characters a document path keeps in the chart's label column (the monospace label is 0.6em a character). */
const LABEL_CHARS = 34;

/** What a document's bar says: `cited / retrieved`, and when its page is gone. */
function valueLabel(d: ReviewStats['downvotedDocuments'][number]): string {
  return `${d.cited}${d.retrieved !== d.cited ? ` / ${d.retrieved}` : ''}${d.pageRemoved ? ' · page removed' : ''}`;
}

/**
 * The documents most often cited (and retrieved) in down-voted answers. `downVotes` (the
 * down-votes counted; default: not known) tells no down-vote from down-voted answers that used
 * no document (search off, nothing above the minimum score).
 */
export function DownvotedDocumentsChart({ documents, downVotes }: { documents: ReviewStats['downvotedDocuments']; downVotes?: number }) {
  const docs = documents.slice(0, 8);
  if (docs.length === 0) {
    return <Empty text={downVotes ? `No document was retrieved for the ${downVotes === 1 ? 'down-voted answer' : `${downVotes} down-voted answers`} in this period.` : 'No down-voted answers in this period.'} />;
  }
  const rowH = 26;
  const labelW = Math.ceil(LABEL_CHARS * 11 * 0.6) + 16;
  const height = docs.length * rowH + 8;
  const max = Math.max(...docs.map((d) => Math.max(d.cited, d.retrieved)), 1);
  // The bars leave room for the longest value label after them, inside the chart.
  const barW = W - labelW - 6 - Math.max(...docs.map((d) => valueLabel(d).length)) * CHAR_W - 4;
  return (
    <svg
      viewBox={`0 0 ${W} ${height}`}
      className="rv-chart"
      role="img"
      aria-label={`Documents most cited in down-voted answers. ${docs.map((d) => `${d.path}${d.pageRemoved ? ' (page removed)' : ''}: cited ${d.cited}, retrieved ${d.retrieved}`).join('; ')}`}
    >
      {docs.map((d, i) => {
        const y = 4 + i * rowH;
        const label = d.path.length > LABEL_CHARS ? `…${d.path.slice(-(LABEL_CHARS - 1))}` : d.path;
        return (
          <g key={d.path}>
            <text x={labelW - 8} y={y + 16} className={`rv-axis rv-axis-label${d.pageRemoved ? ' rv-axis-removed' : ''}`} textAnchor="end">
              <title>{`${d.title} (${d.path})${d.pageRemoved ? ': page removed' : ''}`}</title>
              {label}
            </text>
            <rect x={labelW} y={y + 4} width={(d.retrieved / max) * barW} height={16} rx={3} className="rv-bar-muted">
              <title>{`${d.path}: retrieved by ${d.retrieved} down-voted answers`}</title>
            </rect>
            <rect x={labelW} y={y + 4} width={Math.max(d.cited ? 2 : 0, (d.cited / max) * barW)} height={16} rx={3} className="rv-bar-bad">
              <title>{`${d.path}: cited by ${d.cited} down-voted answers`}</title>
            </rect>
            <text x={labelW + (Math.max(d.cited, d.retrieved) / max) * barW + 6} y={y + 16} className="rv-axis rv-value">
              {valueLabel(d)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
