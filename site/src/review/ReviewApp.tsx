/**
 * The review page (`/review`): maintainers log in with the admin token, then read rated answers
 * (the most recently given or changed first) with filters, a detail view, charts, CSV export, and "export as eval case".
 * Filters live in the page's URL, so a filtered view can be shared.
 */
import { type Dispatch, type FormEvent, type SetStateAction, useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { ApiRequestError, createDocentApi, describeError } from '../chat/api';
import { keepFocusIn } from '../chat/focus-trap';
import { Icon } from '../chat/icons';
import { LiveStatus } from '../chat/live-status';
import { AnswerMarkdown } from '../chat/Markdown';
import { formatScore } from '../chat/sources';
import type { SourceOption } from '../chat/types';
import { createReviewApi, dateRangeProblem, filterParams, filtersFromParams, type ReviewApi } from './api';
import { lockPageScroll } from './scroll-lock';
import { DownvotedDocumentsChart, PositiveRateChart, RatingsChart } from './charts';
import { answersGivenDetail, formatDate, inventedCitationsNote, positivePercent, ratedAnswersDetail, refusedQuestionsNote, wasEdited } from './format';
import type { RefusedQuestions, ReviewFilters, ReviewItem, ReviewPage, ReviewStats } from './types';

const PAGE_SIZE = 25;

/** The list's status while a page of it, or the list for new filters, is on its way (after the first). */
export const LIST_LOADING_STATUS = 'Loading rated answers…';

type Auth =
  | { kind: 'loading' }
  | { kind: 'unconfigured' }
  /** `expired`: the admin session ended while the page was open (logged out elsewhere, token rotated). */
  | { kind: 'login'; expired?: boolean }
  /** `justLoggedIn`: the login form was just replaced, so the dashboard takes the focus. */
  | { kind: 'admin'; justLoggedIn?: boolean }
  | { kind: 'error'; message: string };

export default function ReviewApp({ apiBase = '' }: { apiBase?: string }) {
  const docent = useMemo(() => createDocentApi(apiBase), [apiBase]);
  const api = useMemo(() => createReviewApi(docent), [docent]);
  const [auth, setAuth] = useState<Auth>({ kind: 'loading' });
  // Kept here, not in the dashboard: an admin session that ends mid-way brings back the login, and
  // after it the page of the list the maintainer was on (or going to), not the first.
  const [cursors, setCursors] = useState<string[]>([]);

  const check = useCallback(async () => {
    try {
      const session = await api.session();
      setAuth(!session.configured ? { kind: 'unconfigured' } : session.admin ? { kind: 'admin' } : { kind: 'login' });
    } catch (error) {
      setAuth({ kind: 'error', message: describeError(error) });
    }
  }, [api]);
  useEffect(() => void check(), [check]);

  if (auth.kind === 'loading') return <p className="rv-center rv-muted">Loading…</p>;
  if (auth.kind === 'error') {
    return (
      <div className="rv-center">
        <p className="rv-error" role="alert">
          {auth.message}
        </p>
        <button type="button" className="dc-button" onClick={() => void check()}>
          Try again
        </button>
      </div>
    );
  }
  if (auth.kind === 'unconfigured') {
    return (
      <div className="rv-card rv-login">
        <h1>Review</h1>
        <p>
          The review page needs an admin token. Set <code>ADMIN_TOKEN</code> (at least 16 characters, e.g. <code>openssl rand -hex 32</code>) in
          the server's environment and restart it.
        </p>
      </div>
    );
  }
  if (auth.kind === 'login') return <LoginForm api={api} expired={auth.expired === true} onLoggedIn={() => setAuth({ kind: 'admin', justLoggedIn: true })} />;
  return (
    <Dashboard
      api={api}
      sourcesLoader={docent.getSources}
      focusTitle={auth.justLoggedIn === true}
      cursors={cursors}
      onCursorsChange={setCursors}
      onLoggedOut={() => {
        setCursors([]);
        setAuth({ kind: 'login' });
      }}
      onUnauthorized={() => setAuth({ kind: 'login', expired: true })}
    />
  );
}

const isUnauthorized = (e: unknown) => e instanceof ApiRequestError && (e.status === 401 || e.status === 403);

function LoginForm({ api, expired, onLoggedIn }: { api: ReviewApi; expired: boolean; onLoggedIn: () => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const id = useId();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await api.login(token.trim());
      setToken('');
      onLoggedIn();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="rv-card rv-login" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>Review feedback</h1>
      {expired && (
        <p className="rv-notice" role="alert">
          Your admin session has ended. Log in again to go on.
        </p>
      )}
      <p className="rv-muted">Log in with the server's admin token. It is sent once and never stored in this browser; your session is upgraded instead.</p>
      <label htmlFor={id}>Admin token</label>
      <input
        id={id}
        type="password"
        autoComplete="off"
        spellCheck={false}
        value={token}
        onChange={(e) => setToken(e.target.value)}
        required
        autoFocus
      />
      {error && (
        <p className="rv-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="dc-button dc-button-primary" disabled={busy || !token.trim()}>
        {busy ? 'Checking…' : 'Log in'}
      </button>
    </form>
  );
}

function readUrlFilters(): ReviewFilters {
  return typeof location === 'undefined' ? {} : filtersFromParams(new URLSearchParams(location.search));
}

interface DashboardProps {
  api: ReviewApi;
  sourcesLoader: () => Promise<SourceOption[]>;
  /** Focus the page title on mount (after logging in, so keyboard and screen-reader users start there). */
  focusTitle: boolean;
  /** The cursors of the pages after the first that Next went through: the last is the page shown (none: the first page). */
  cursors: string[];
  onCursorsChange: Dispatch<SetStateAction<string[]>>;
  onLoggedOut: () => void;
  onUnauthorized: () => void;
}

function Dashboard({ api, sourcesLoader, focusTitle, cursors, onCursorsChange: setCursors, onLoggedOut, onUnauthorized }: DashboardProps) {
  const [filters, setFilters] = useState<ReviewFilters>(readUrlFilters);
  const cursor = cursors.at(-1);
  const [page, setPage] = useState<ReviewPage>();
  const [stats, setStats] = useState<ReviewStats>();
  const [refused, setRefused] = useState<RefusedQuestions>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [selected, setSelected] = useState<ReviewItem>();
  const [sources, setSources] = useState<SourceOption[]>([]);
  const [exporting, setExporting] = useState(false);
  /** Bumped to read the list and the statistics again (an answer found gone). */
  const [reloads, setReloads] = useState(0);
  const titleRef = useRef<HTMLHeadingElement>(null);

  // The login form that had the focus is gone: without this the focus falls to <body>.
  useEffect(() => {
    if (focusTitle) titleRef.current?.focus();
  }, [focusTitle]);

  useEffect(() => {
    sourcesLoader().then(setSources, () => setSources([]));
  }, [sourcesLoader]);

  // Days that can select nothing are told in the form, not asked of the server.
  const rangeProblem = dateRangeProblem(filters);

  useEffect(() => {
    const query = filterParams(filters).toString();
    history.replaceState(null, '', `${location.pathname}${query ? `?${query}` : ''}`);
    if (dateRangeProblem(filters)) {
      setPage(undefined);
      setLoading(false);
      return;
    }
    let live = true;
    setLoading(true);
    api
      .list(filters, { limit: PAGE_SIZE, cursor })
      .then((p) => {
        if (!live) return;
        setPage(p);
        setError(undefined);
      })
      .catch((e: unknown) => {
        if (!live) return;
        if (isUnauthorized(e)) onUnauthorized();
        else setError(describeError(e));
      })
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [api, filters, cursor, onUnauthorized, reloads]);

  // The statistics depend on the filters only: turning a page does not count the whole list again.
  useEffect(() => {
    if (dateRangeProblem(filters)) {
      setStats(undefined);
      return;
    }
    let live = true;
    const left = new AbortController();
    api.stats(filters, left.signal).then(
      (s) => live && setStats(s),
      (e: unknown) => {
        if (!live) return;
        if (isUnauthorized(e)) onUnauthorized();
        else setError(describeError(e));
      },
    );
    return () => {
      live = false;
      left.abort();
    };
  }, [api, filters, onUnauthorized, reloads]);

  // Not filtered, and counted in memory: read again with each new statistics.
  useEffect(() => {
    if (!stats) return;
    let live = true;
    api.refused().then(
      (r) => live && setRefused(r),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [api, stats]);

  const update = (patch: Partial<ReviewFilters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setCursors([]);
  };

  // Fetched rather than a plain download link: a link whose session has ended only shows a failed
  // download in the browser's download list, never the server's 401.
  const exportCsv = async () => {
    setExporting(true);
    try {
      const { blob, filename } = await api.csv(filters);
      const href = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = href;
      link.download = filename;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(href), 60_000);
    } catch (e) {
      if (isUnauthorized(e)) onUnauthorized();
      else setError(describeError(e));
    } finally {
      setExporting(false);
    }
  };

  const logout = async () => {
    await api.logout().catch(() => undefined);
    onLoggedOut();
  };

  const t = stats?.totals;
  return (
    <div className="rv-dashboard">
      <div className="rv-titlebar">
        <h1 ref={titleRef} tabIndex={-1}>
          Feedback review
        </h1>
        <span className="rv-spacer" />
        <button type="button" className="dc-button" disabled={exporting || rangeProblem !== undefined} onClick={() => void exportCsv()}>
          {exporting ? 'Exporting…' : 'Export CSV'}
        </button>
        <button type="button" className="dc-button" onClick={() => void logout()}>
          Log out
        </button>
      </div>

      <Filters filters={filters} sources={sources} rangeProblem={rangeProblem} onChange={update} />

      {error && (
        <p className="rv-error" role="alert">
          {error}
        </p>
      )}

      {t && (
        <section className="rv-summary" aria-label="Summary">
          <Metric label="Rated answers" value={String(t.feedback)} detail={ratedAnswersDetail(t)} />
          <Metric label="Positive" value={positivePercent(t.up, t.down)} detail={`${t.up} up · ${t.down} down`} />
          <Metric label="Average rating" value={t.averageRating === null ? '–' : `${t.averageRating.toFixed(1)} ★`} detail={ratingSpread(t.ratings)} />
          <Metric label="With a comment" value={String(t.withComment)} />
          {t.answers !== null && (
            // The share rated only when every rated answer counts: answers have no vote, stars or comment to filter on.
            <Metric
              label="Answers given"
              value={String(t.answers)}
              detail={answersGivenDetail({ ...t, answers: t.answers }, !filters.vote && filters.rating === undefined && filters.hasComment === undefined)}
            />
          )}
        </section>
      )}
      {t && refused && <p className="rv-muted rv-refused">{refusedQuestionsNote(refused)}</p>}

      {stats && (
        <section className="rv-charts" aria-label="Charts">
          <figure className="rv-card">
            <figcaption>
              Ratings over time <span className="rv-muted">(line: average rating · bars: answers rated)</span>
            </figcaption>
            <RatingsChart weekly={stats.weekly} />
          </figure>
          <figure className="rv-card">
            <figcaption>Positive rate per week</figcaption>
            <PositiveRateChart weekly={stats.weekly} />
          </figure>
          <figure className="rv-card rv-chart-wide">
            <figcaption>
              Documents most cited in down-voted answers <span className="rv-muted">(cited / retrieved)</span>
            </figcaption>
            <DownvotedDocumentsChart documents={stats.downvotedDocuments} downVotes={stats.totals.down} />
          </figure>
        </section>
      )}

      <section className="rv-card rv-table-card" aria-label="Rated answers" aria-busy={loading}>
        <table className="rv-table">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Vote</th>
              <th scope="col">Rating</th>
              <th scope="col">Question</th>
              <th scope="col">Comment</th>
              <th scope="col">Top source</th>
            </tr>
          </thead>
          <tbody>
            {page?.items.map((item) => (
              // A plain table's rows take no aria-selected: the open row is only highlighted.
              <tr key={item.feedbackId} className={selected?.feedbackId === item.feedbackId ? 'rv-row-open' : undefined}>
                <td className="rv-nowrap">
                  <When item={item} />
                </td>
                <td>
                  <VoteBadge vote={item.vote} />
                </td>
                <td className="rv-nowrap">{item.rating ? <Stars rating={item.rating} /> : <span className="rv-muted">–</span>}</td>
                <td className="rv-question">
                  <button type="button" className="rv-link" onClick={() => setSelected(item)}>
                    {item.question || '(no question)'}
                  </button>
                </td>
                <td className="rv-comment-cell">{item.comment ? <span title={item.comment}>{item.comment}</span> : <span className="rv-muted">–</span>}</td>
                <td className="rv-source-cell">
                  {item.sources[0] ? (
                    // The path gives way (ellipsis), the score never does.
                    <span className="rv-top-source">
                      <span className="rv-top-source-path" title={item.sources[0].path}>
                        {item.sources[0].path}
                      </span>
                      <span className="dc-score">{formatScore(item.sources[0].score)}</span>
                    </span>
                  ) : (
                    <span className="rv-muted">none</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {/* Always in the page, so that screen readers announce what a filter or page change gave. */}
        <div className={`rv-pager${page && page.items.length === 0 ? ' rv-pager-empty' : ''}`}>
          {/* While another page (or filter) loads, the range of the one before is not said as the list's. */}
          <span role="status" aria-atomic="true" className={page && page.items.length === 0 && !loading ? 'rv-empty' : 'rv-muted'}>
            {page &&
              (loading
                ? LIST_LOADING_STATUS
                : page.items.length === 0
                  ? 'No rated answers match these filters.'
                  : `${page.offset + 1}–${page.offset + page.items.length} of ${page.total} rated answers`)}
          </span>
          {page && page.total > 0 && (
            // aria-disabled, not disabled: on the first or last page, or while a page loads, the
            // button keeps the keyboard focus (a disabled one drops it to <body>), and a second
            // press on a slow network is not a step from a page not shown yet.
            <>
            <button
              type="button"
              className="dc-button dc-button-small"
              aria-disabled={loading || cursors.length === 0}
              onClick={() => {
                if (!loading) setCursors((c) => c.slice(0, -1));
              }}
            >
              Previous
            </button>
            <button
              type="button"
              className="dc-button dc-button-small"
              aria-disabled={loading || page.nextCursor === null}
              onClick={() => {
                const next = page.nextCursor;
                if (next && !loading) setCursors((c) => [...c, next]);
              }}
            >
              Next
            </button>
            </>
          )}
        </div>
      </section>

      {selected && <Detail api={api} item={selected} onClose={() => setSelected(undefined)} onGone={() => setReloads((n) => n + 1)} />}
    </div>
  );
}

function ratingSpread(ratings: Record<string, number>): string | undefined {
  const total = Object.values(ratings).reduce((a, b) => a + b, 0);
  if (!total) return undefined;
  return ['5', '4', '3', '2', '1'].map((k) => `${k}★ ${ratings[k] ?? 0}`).join(' · ');
}

function Metric({ label, value, detail }: { label: string; value: string; detail?: string | undefined }) {
  return (
    <div className="rv-card rv-metric">
      <span className="rv-metric-label">{label}</span>
      <span className="rv-metric-value">{value}</span>
      {detail && <span className="rv-metric-detail">{detail}</span>}
    </div>
  );
}

// role="img": an aria-label on a plain span (role generic) is not reliably announced; as an
// image, the label is its accessible name and the icon or star glyphs inside are not read.
function VoteBadge({ vote }: { vote: 'up' | 'down' }) {
  return (
    <span className={`rv-vote rv-vote-${vote}`} role="img" aria-label={vote === 'up' ? 'thumbs up' : 'thumbs down'}>
      <Icon name={vote === 'up' ? 'thumbUp' : 'thumbDown'} size={14} filled />
    </span>
  );
}

function Stars({ rating }: { rating: number }) {
  return (
    <span className="rv-stars" role="img" aria-label={`${rating} out of 5`}>
      {'★'.repeat(rating)}
      <span className="rv-stars-off">{'★'.repeat(5 - rating)}</span>
    </span>
  );
}

/** When the feedback was last given, and "edited" (with the first date) when the reader changed it later. */
function When({ item }: { item: ReviewItem }) {
  return (
    <>
      {formatDate(item.updatedAt)}
      {wasEdited(item) && (
        <span className="rv-edited" title={`First given ${formatDate(item.createdAt)}`}>
          {' '}
          edited
          <span className="dc-sr-only">, first given {formatDate(item.createdAt)}</span>
        </span>
      )}
    </>
  );
}

interface FiltersProps {
  filters: ReviewFilters;
  sources: SourceOption[];
  /** Why the days picked select nothing (From after To), shown under the fields. */
  rangeProblem: string | undefined;
  onChange: (patch: Partial<ReviewFilters>) => void;
}

function Filters({ filters, sources, rangeProblem, onChange }: FiltersProps) {
  const ids = { vote: useId(), rating: useId(), from: useId(), to: useId(), range: useId(), source: useId(), comment: useId(), list: useId() };
  // The date pickers offer only days that keep From on or before To; typed days are told by rangeProblem.
  const dateProblem = rangeProblem ? { 'aria-invalid': true, 'aria-describedby': ids.range } : {};
  const [source, setSource] = useState(filters.source ?? '');
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  return (
    <form className="rv-filters" role="search" aria-label="Filter rated answers" onSubmit={(e) => e.preventDefault()}>
      <div className="rv-filter">
        <label htmlFor={ids.vote}>Vote</label>
        <select id={ids.vote} value={filters.vote ?? ''} onChange={(e) => onChange({ vote: (e.target.value || undefined) as ReviewFilters['vote'] })}>
          <option value="">Any</option>
          <option value="up">Thumbs up</option>
          <option value="down">Thumbs down</option>
        </select>
      </div>
      <div className="rv-filter">
        <label htmlFor={ids.rating}>Rating</label>
        <select id={ids.rating} value={filters.rating ?? ''} onChange={(e) => onChange({ rating: e.target.value ? Number(e.target.value) : undefined })}>
          <option value="">Any</option>
          {[5, 4, 3, 2, 1].map((r) => (
            <option key={r} value={r}>
              {r} ★
            </option>
          ))}
        </select>
      </div>
      <div className="rv-filter">
        <label htmlFor={ids.from}>From</label>
        <input id={ids.from} type="date" value={filters.from ?? ''} max={filters.to} {...dateProblem} onChange={(e) => onChange({ from: e.target.value || undefined })} />
      </div>
      <div className="rv-filter">
        <label htmlFor={ids.to}>To</label>
        <input id={ids.to} type="date" value={filters.to ?? ''} min={filters.from} {...dateProblem} onChange={(e) => onChange({ to: e.target.value || undefined })} />
      </div>
      <div className="rv-filter rv-filter-grow">
        <label htmlFor={ids.source}>Source document</label>
        <input
          id={ids.source}
          type="search"
          list={ids.list}
          placeholder="Path prefix, e.g. guide/"
          value={source}
          onChange={(e) => {
            const value = e.target.value;
            setSource(value);
            clearTimeout(timer.current);
            timer.current = setTimeout(() => onChange({ source: value.trim() || undefined }), 350);
          }}
        />
        <datalist id={ids.list}>
          {sources.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </datalist>
      </div>
      <div className="rv-filter">
        <label htmlFor={ids.comment}>Comment</label>
        <select
          id={ids.comment}
          value={filters.hasComment === undefined ? '' : String(filters.hasComment)}
          onChange={(e) => onChange({ hasComment: e.target.value === '' ? undefined : e.target.value === 'true' })}
        >
          <option value="">Any</option>
          <option value="true">Has a comment</option>
          <option value="false">No comment</option>
        </select>
      </div>
      {rangeProblem && (
        <p id={ids.range} className="rv-error rv-filters-problem" role="alert">
          {rangeProblem}
        </p>
      )}
    </form>
  );
}

/** Why a source cannot be marked as a right source of an eval case (its page or its section is gone), or `undefined`. */
function notGoldReason(source: ReviewItem['sources'][number]): string | undefined {
  if (source.pageRemoved) return 'page removed';
  if (source.sectionRemoved) return 'section no longer exists';
  return undefined;
}

/** Said when an answer's chat was deleted (by its reader, say) after the list was loaded. */
export const ANSWER_GONE_MESSAGE = 'This answer is no longer stored: its chat was deleted after the list was loaded, so it cannot be exported. The list now leaves it out.';

/**
 * Said when the admin session ended while the details were open: the login would replace the page
 * and the question edited and the sources marked here, so the details stay, to export again.
 */
export const EXPORT_SESSION_ENDED_MESSAGE =
  'Your admin session has ended, so this case was not exported. Log in again on the review page in another tab, then export again here: what you marked is kept.';

interface DetailProps {
  api: ReviewApi;
  item: ReviewItem;
  onClose: () => void;
  /** The answer is no longer stored (its chat was deleted meanwhile): the list is read again. */
  onGone: () => void;
}

function Detail({ api, item, onClose, onGone }: DetailProps) {
  const titleId = useId();
  const closeRef = useRef<HTMLButtonElement>(null);
  const dialogRef = useRef<HTMLDivElement>(null);
  // A source whose page or section is gone cannot be a right source: the export would refuse it.
  const [gold, setGold] = useState<Set<number>>(() => new Set(item.sources.filter((s) => s.cited && item.vote === 'up' && !notGoldReason(s)).map((s) => s.rank)));
  const [question, setQuestion] = useState(item.question);
  const [exported, setExported] = useState<{ kind: 'idle' | 'saving' } | { kind: 'done'; id: string; file: string | undefined } | { kind: 'error'; message: string }>({
    kind: 'idle',
  });

  // The list behind stays where it is while the details are open, and is there when they close.
  useEffect(() => lockPageScroll(), []);

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    closeRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
      else if (e.key === 'Tab' && dialogRef.current) keepFocusIn(dialogRef.current, e);
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      // Where the list is: the row it opened from was in sight (a scroll here would move the page).
      previous?.focus?.({ preventScroll: true });
    };
  }, [onClose]);

  const exportCase = async () => {
    setExported({ kind: 'saving' });
    try {
      const chosen = item.sources.filter((s) => gold.has(s.rank));
      const result = await api.exportEvalCase({
        messageId: item.messageId,
        question: question.trim(),
        gold: chosen.map((s) => ({ path: s.path, heading: s.heading || s.title })),
      });
      setExported({ kind: 'done', ...result });
    } catch (e) {
      const gone = e instanceof ApiRequestError && e.status === 404;
      setExported({ kind: 'error', message: gone ? ANSWER_GONE_MESSAGE : isUnauthorized(e) ? EXPORT_SESSION_ENDED_MESSAGE : describeError(e) });
      if (gone) onGone();
    }
  };

  const s = item.retrievalSettings;
  const citationsNote = inventedCitationsNote(item.citations);
  return (
    <div className="rv-overlay" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div ref={dialogRef} className="rv-detail" role="dialog" aria-modal="true" aria-labelledby={titleId}>
        <header className="rv-detail-head">
          <VoteBadge vote={item.vote} />
          {item.rating ? <Stars rating={item.rating} /> : null}
          <span className="rv-muted">
            <When item={item} />
          </span>
          <span className="rv-spacer" />
          <button ref={closeRef} type="button" className="dc-icon-button" aria-label="Close details" onClick={onClose}>
            <Icon name="close" />
          </button>
        </header>
        <div className="rv-detail-body docent-root">
          <h2 id={titleId} className="rv-detail-question">
            {item.question || '(no question)'}
          </h2>
          {item.comment && (
            <blockquote className="rv-comment">
              <span className="rv-label">Comment</span>
              {item.comment}
            </blockquote>
          )}
          <h3>Answer</h3>
          <div className="dc-answer rv-answer">
            <AnswerMarkdown text={item.answer || '(empty answer)'} sources={item.sources} />
          </div>
          {item.status !== 'complete' && <p className="rv-muted">Status: {item.status}</p>}
          {citationsNote && <p className="rv-notice">{citationsNote}</p>}

          <h3>Sources</h3>
          {item.sources.length === 0 ? (
            <p className="rv-muted">No sources were retrieved.</p>
          ) : (
            <table className="rv-table rv-sources-table">
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">Document and heading</th>
                  <th scope="col">Score</th>
                  <th scope="col">Cited</th>
                  <th scope="col">Right source?</th>
                </tr>
              </thead>
              <tbody>
                {item.sources.map((src) => (
                  <tr key={src.rank}>
                    <td>{src.rank}</td>
                    <td>
                      {/* A removed page's link is dead; a removed section's page is still there. */}
                      {src.pageRemoved ? <span>{src.path}</span> : <a href={src.sectionRemoved ? src.url.replace(/#.*$/, '') : src.url}>{src.path}</a>}
                      {src.heading && <span className="rv-muted"> › {src.heading}</span>}
                      {src.pageRemoved && <span className="rv-gone">page removed</span>}
                      {src.sectionRemoved && <span className="rv-gone">section no longer exists</span>}
                    </td>
                    <td>
                      <span className="dc-score">{formatScore(src.score)}</span>
                    </td>
                    <td>{src.cited ? 'yes' : <span className="rv-muted">no</span>}</td>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`Mark source ${src.rank} (${src.path}) as a right source${notGoldReason(src) ? ` (${notGoldReason(src)}: cannot be one)` : ''}`}
                        title={notGoldReason(src) ? `${notGoldReason(src)}: cannot be a right source` : undefined}
                        disabled={notGoldReason(src) !== undefined}
                        checked={gold.has(src.rank)}
                        onChange={(e) => {
                          const next = new Set(gold);
                          if (e.target.checked) next.add(src.rank);
                          else next.delete(src.rank);
                          setGold(next);
                        }}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}

          <h3>Retrieval</h3>
          <dl className="rv-settings">
            <dt>Search</dt>
            <dd>{s ? (s.enabled ? 'on' : 'off') : 'unknown'}</dd>
            {s && (
              <>
                <dt>Max results</dt>
                <dd>{s.maxResults}</dd>
                <dt>Min score</dt>
                <dd>{s.minScore.toFixed(2)}</dd>
                <dt>Preferred</dt>
                <dd>{s.preferredSources.join(', ') || '–'}</dd>
                <dt>Excluded</dt>
                <dd>{s.excludedSources.join(', ') || '–'}</dd>
              </>
            )}
            {item.retrievalQuery && item.retrievalQuery !== item.question && (
              <>
                <dt>Query used</dt>
                <dd>{item.retrievalQuery}</dd>
              </>
            )}
            {item.answeredAt && (
              <>
                <dt>Answered</dt>
                <dd>{formatDate(item.answeredAt)}</dd>
              </>
            )}
            <dt>Model</dt>
            <dd>{item.model ?? 'extractive (no LLM)'}</dd>
            {item.latencyMs !== null && (
              <>
                <dt>Latency</dt>
                <dd>{(item.latencyMs / 1000).toFixed(1)} s</dd>
              </>
            )}
          </dl>

          <section className="rv-eval" aria-label="Export as eval case">
            <h3>Export as eval case</h3>
            <p className="rv-muted">
              Appends this question, with the sources you marked as right, to the eval set (JSONL), so the answer becomes a regression test.
            </p>
            <label className="rv-label" htmlFor={`${titleId}-q`}>
              Question
            </label>
            <textarea id={`${titleId}-q`} rows={2} value={question} onChange={(e) => setQuestion(e.target.value)} />
            <div className="rv-eval-actions">
              <button
                type="button"
                className="dc-button dc-button-primary"
                disabled={gold.size === 0 || !question.trim() || exported.kind === 'saving'}
                onClick={() => void exportCase()}
              >
                Export as eval case
              </button>
              {/* In the drawer, empty, before its first words: a region inserted already filled is not announced. */}
              <LiveStatus as="span" className="rv-muted">
                {gold.size === 0 && 'Mark at least one right source.'}
                {exported.kind === 'saving' && 'Exporting…'}
                {exported.kind === 'done' && `Exported as ${exported.id}${exported.file ? ` to ${exported.file}` : ''}.`}
              </LiveStatus>
            </div>
            {exported.kind === 'error' && (
              <p className="rv-error" role="alert">
                {exported.message}
              </p>
            )}
          </section>
        </div>
      </div>
    </div>
  );
}
