/**
 * Small hand-rolled SVG charts for the review page (no chart library): weekly ratings, weekly
 * positive rate, and the documents most cited in down-voted answers. Each has a text summary for
 * screen readers and `<title>` tooltips on its marks.
 */
import type { ReviewStats, WeeklyStats } from './types';

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

/** Weekly average rating (line, 1–5) over the number of ratings (bars). */
export function RatingsChart({ weekly }: { weekly: WeeklyStats[] }) {
  const weeks = weekly.filter((w) => w.feedback > 0);
  if (weeks.length === 0) return <Empty text="No feedback in this period." />;
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const step = innerW / weeks.length;
  const maxCount = Math.max(...weeks.map((w) => w.feedback), 1);
  const x = (i: number) => PAD.left + step * i + step / 2;
  const yRating = (r: number) => PAD.top + innerH - ((r - 1) / 4) * innerH;
  const points = weeks.map((w, i) => (w.averageRating === null ? null : ([x(i), yRating(w.averageRating)] as const)));
  const path = points
    .filter((p): p is readonly [number, number] => p !== null)
    .map(([px, py], i) => `${i === 0 ? 'M' : 'L'}${px.toFixed(1)},${py.toFixed(1)}`)
    .join(' ');
  const summary = weeks.map((w) => `${shortWeek(w.week)}: ${w.averageRating?.toFixed(1) ?? 'no'} average from ${w.feedback} answers rated`).join('; ');
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
        const h = (w.feedback / maxCount) * innerH * 0.45;
        return (
          <rect key={w.week} x={x(i) - Math.min(step * 0.3, MAX_BAR / 2)} width={Math.min(step * 0.6, MAX_BAR)} y={PAD.top + innerH - h} height={h} className="rv-bar-muted" rx={3}>
            <title>{`${shortWeek(w.week)}: ${w.feedback} feedback`}</title>
          </rect>
        );
      })}
      <path d={path} className="rv-line" />
      {points.map((p, i) =>
        p ? (
          <circle key={weeks[i]!.week} cx={p[0]} cy={p[1]} r={4} className="rv-dot">
            <title>{`${shortWeek(weeks[i]!.week)}: average ${weeks[i]!.averageRating?.toFixed(2)} (${weeks[i]!.feedback} feedback)`}</title>
          </circle>
        ) : null,
      )}
      {weeks.map((w, i) =>
        weeks.length <= 12 || i % Math.ceil(weeks.length / 12) === 0 ? (
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
  const weeks = weekly.filter((w) => w.up + w.down > 0);
  if (weeks.length === 0) return <Empty text="No votes in this period." />;
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const step = innerW / weeks.length;
  const y = (rate: number) => PAD.top + innerH - rate * innerH;
  const summary = weeks.map((w) => `${shortWeek(w.week)}: ${Math.round((w.up / (w.up + w.down)) * 100)}% of ${w.up + w.down}`).join('; ');
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
        const rate = w.up / (w.up + w.down);
        const bw = Math.min(step * 0.6, MAX_BAR);
        const bx = PAD.left + step * i + (step - bw) / 2;
        return (
          <g key={w.week}>
            <rect x={bx} width={bw} y={y(rate)} height={Math.max(1, innerH * rate)} rx={3} className={rate >= 0.5 ? 'rv-bar-good' : 'rv-bar-bad'}>
              <title>{`${shortWeek(w.week)}: ${Math.round(rate * 100)}% positive (${w.up} up, ${w.down} down)`}</title>
            </rect>
            {(weeks.length <= 12 || i % Math.ceil(weeks.length / 12) === 0) && (
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

/** The documents most often cited (and retrieved) in down-voted answers. */
export function DownvotedDocumentsChart({ documents }: { documents: ReviewStats['downvotedDocuments'] }) {
  const docs = documents.slice(0, 8);
  if (docs.length === 0) return <Empty text="No down-voted answers in this period." />;
  const rowH = 26;
  const labelW = 220;
  const height = docs.length * rowH + 8;
  const max = Math.max(...docs.map((d) => Math.max(d.cited, d.retrieved)), 1);
  const barW = W - labelW - 40;
  return (
    <svg
      viewBox={`0 0 ${W} ${height}`}
      className="rv-chart"
      role="img"
      aria-label={`Documents most cited in down-voted answers. ${docs.map((d) => `${d.path}: cited ${d.cited}, retrieved ${d.retrieved}`).join('; ')}`}
    >
      {docs.map((d, i) => {
        const y = 4 + i * rowH;
        const label = d.path.length > 34 ? `…${d.path.slice(-33)}` : d.path;
        return (
          <g key={d.path}>
            <text x={labelW - 8} y={y + 16} className="rv-axis rv-axis-label" textAnchor="end">
              <title>{`${d.title} (${d.path})`}</title>
              {label}
            </text>
            <rect x={labelW} y={y + 4} width={(d.retrieved / max) * barW} height={16} rx={3} className="rv-bar-muted">
              <title>{`${d.path}: retrieved by ${d.retrieved} down-voted answers`}</title>
            </rect>
            <rect x={labelW} y={y + 4} width={Math.max(d.cited ? 2 : 0, (d.cited / max) * barW)} height={16} rx={3} className="rv-bar-bad">
              <title>{`${d.path}: cited by ${d.cited} down-voted answers`}</title>
            </rect>
            <text x={labelW + (Math.max(d.cited, d.retrieved) / max) * barW + 6} y={y + 16} className="rv-axis">
              {d.cited}
              {d.retrieved !== d.cited ? ` / ${d.retrieved}` : ''}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
