/**
 * The review page's pure parts: the days picked turned into the maintainer's own day boundaries,
 * the weekly series with its empty weeks, the positive share, and "edited". The page itself is
 * tested in a browser in test/site.browser.test.ts.
 */
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiRequestError, type DocentApi } from '../site/src/chat/api';
import { apiParams, createReviewApi, dateRangeProblem, filterParams, localMidnight, statsParams } from '../site/src/review/api';
import { brokenLinePath, DownvotedDocumentsChart, PositiveRateChart, RatingsChart } from '../site/src/review/charts';
import { answersGivenDetail, inventedCitationsNote, positivePercent, ratedAnswersDetail, refusedQuestionsNote, wasEdited } from '../site/src/review/format';
import type { WeeklyStats } from '../site/src/review/types';
import { fillWeekGaps } from '../site/src/review/weeks';

const week = (day: string, up: number, down: number, averageRating: number | null = 4): WeeklyStats => ({
  week: day,
  feedback: up + down,
  up,
  down,
  positiveRate: up + down ? Math.round((up / (up + down)) * 1000) / 1000 : null,
  averageRating,
});

describe('date filters', () => {
  it('dateRangeProblem: a From after To selects nothing and says so; the same day, an open end or an unreadable day is left to the server', () => {
    expect(dateRangeProblem({ from: '2026-12-07', to: '2026-12-01' })).toBe(
      'From (2026-12-07) is after To (2026-12-01): no answer can be rated in between. Pick a From on or before To.',
    );
    expect(dateRangeProblem({ from: '2026-12-01', to: '2026-12-01' })).toBeUndefined();
    expect(dateRangeProblem({ from: '2026-11-30', to: '2026-12-01' })).toBeUndefined();
    expect(dateRangeProblem({ from: '2026-12-07' })).toBeUndefined();
    expect(dateRangeProblem({ to: '2026-12-01' })).toBeUndefined();
    expect(dateRangeProblem({ from: 'hello', to: '2026-12-01' })).toBeUndefined();
  });

  const zone = process.env.TZ;
  afterEach(() => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  });

  it('send the picked days as the instants they start and end in the browser’s time zone, and keep the bare days in the URL', () => {
    process.env.TZ = 'America/Los_Angeles';
    const params = apiParams({ from: '2026-11-19', to: '2026-11-19', vote: 'down' }, { limit: 25 });
    // Nov 19 in Los Angeles (UTC-8) runs from 08:00 UTC to 08:00 UTC the next day: 03:30 UTC on Nov 20 is in it.
    expect(params.get('from')).toBe('2026-11-19T08:00:00.000Z');
    expect(params.get('to')).toBe('2026-11-20T07:59:59.999Z');
    expect(Object.fromEntries(params)).toMatchObject({ vote: 'down', limit: '25' });
    expect(filterParams({ from: '2026-11-19', to: '2026-11-19' }).toString()).toBe('from=2026-11-19&to=2026-11-19');

    process.env.TZ = 'Asia/Tokyo';
    expect(apiParams({ from: '2026-11-19' }).get('from')).toBe('2026-11-18T15:00:00.000Z');
  });

  it('follow daylight saving: a 23-hour day ends at its own next midnight', () => {
    process.env.TZ = 'Europe/Berlin';
    const params = apiParams({ from: '2026-03-29', to: '2026-03-29' });
    expect(params.get('from')).toBe('2026-03-28T23:00:00.000Z');
    expect(params.get('to')).toBe('2026-03-29T21:59:59.999Z');
  });

  it('pass a value that is no day as it is, for the server to refuse with its own message', () => {
    expect(localMidnight('2026-13-45x')).toBeUndefined();
    expect(apiParams({ from: 'yesterday' }).get('from')).toBe('yesterday');
  });
});

describe('weekly statistics', () => {
  const zone = process.env.TZ;
  afterEach(() => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  });

  it('ask for the weeks of the browser’s time zone', async () => {
    const paths: string[] = [];
    const api = { request: async (path: string) => (paths.push(path), {}) } as unknown as DocentApi;
    process.env.TZ = 'America/Los_Angeles';
    await createReviewApi(api).stats({ vote: 'down' });
    expect(Object.fromEntries(new URL(paths[0]!, 'http://x').searchParams)).toEqual({ vote: 'down', timeZone: 'America/Los_Angeles' });
    process.env.TZ = 'Australia/Sydney';
    expect(statsParams({}).get('timeZone')).toBe('Australia/Sydney');
  });
});

describe('first load', () => {
  it('asks for the statistics once the first page of the same filters has come, so the list is not held back by them', async () => {
    const log: string[] = [];
    let answerList: (value: unknown) => void = () => undefined;
    const api = {
      request: (path: string) => {
        log.push(`request ${path.split('?')[0]}`);
        if (path.startsWith('/api/review/feedback')) return new Promise((resolve) => (answerList = resolve));
        return Promise.resolve({});
      },
    } as unknown as DocentApi;
    const review = createReviewApi(api);
    const list = review.list({ vote: 'down' }, { limit: 25 });
    const stats = review.stats({ vote: 'down' });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(log).toEqual(['request /api/review/feedback']);
    answerList({ items: [], total: 0 });
    await list;
    await stats;
    expect(log).toEqual(['request /api/review/feedback', 'request /api/review/stats']);
    // Other filters' statistics, or with no list under way, do not wait.
    const other = review.list({ vote: 'up' }, { limit: 25 });
    await review.stats({ vote: 'down' });
    expect(log.at(-1)).toBe('request /api/review/stats');
    answerList({ items: [] });
    await other;
  });

  it('does not ask for the statistics of filters the page left while their list was loading, so the next list does not wait behind them', async () => {
    const log: string[] = [];
    const answers: ((value: unknown) => void)[] = [];
    const api = {
      request: (path: string) => {
        log.push(path.split('&timeZone')[0]!);
        if (path.startsWith('/api/review/feedback')) return new Promise((resolve) => answers.push(resolve));
        return Promise.resolve({});
      },
    } as unknown as DocentApi;
    const review = createReviewApi(api);
    const left = new AbortController();
    const list = review.list({ vote: 'down' }, { limit: 25 });
    const stats = review.stats({ vote: 'down' }, left.signal);
    // The maintainer picks another filter before the first list has come.
    left.abort();
    const next = review.list({ vote: 'up' }, { limit: 25 });
    const nextStats = review.stats({ vote: 'up' });
    for (const answer of answers) answer({ items: [] });
    await Promise.all([list, next, nextStats]);
    await expect(stats).rejects.toThrow();
    expect(log.filter((p) => p.startsWith('/api/review/stats'))).toEqual(['/api/review/stats?vote=up']);
  });

  it('still asks for the statistics when the list fails', async () => {
    const paths: string[] = [];
    const api = {
      request: async (path: string) => {
        paths.push(path.split('?')[0]!);
        if (path.startsWith('/api/review/feedback')) throw new Error('down');
        return {};
      },
    } as unknown as DocentApi;
    const review = createReviewApi(api);
    const [list, stats] = await Promise.allSettled([review.list({}, { limit: 25 }), review.stats({})]);
    expect(list.status).toBe('rejected');
    expect(stats.status).toBe('fulfilled');
    expect(paths).toEqual(['/api/review/feedback', '/api/review/stats']);
  });
});

describe('paging', () => {
  it('asks for the next page by the cursor the page before gave (keyset paging), never by offset, and reads where the page is', async () => {
    const paths: string[] = [];
    const reply = { items: [{ messageId: 'm1', vote: 'up' }], total: 120, limit: 50, offset: 50, nextCursor: 'c-100' };
    const api = { request: async (path: string) => (paths.push(path), reply) } as unknown as DocentApi;
    const review = createReviewApi(api);
    const page = await review.list({ vote: 'up' }, { limit: 50, cursor: 'c-50' });
    const query = new URL(paths[0]!, 'http://x').searchParams;
    expect(Object.fromEntries(query)).toEqual({ vote: 'up', limit: '50', cursor: 'c-50' });
    expect(page).toMatchObject({ total: 120, offset: 50, nextCursor: 'c-100' });
    // The first page has no cursor; the last one says there is no next.
    reply.nextCursor = null as never;
    expect((await review.list({}, { limit: 50 })).nextCursor).toBeNull();
    expect(new URL(paths[1]!, 'http://x').searchParams.has('cursor')).toBe(false);
    expect(paths.some((p) => p.includes('offset='))).toBe(false);
  });
});

describe('weekly charts', () => {
  it('fill the weeks without feedback between the first and the last, oldest first', () => {
    const filled = fillWeekGaps([week('2026-11-09', 1, 0), week('2026-10-12', 2, 1)]);
    expect(filled.map((w) => w.week)).toEqual(['2026-10-12', '2026-10-19', '2026-10-26', '2026-11-02', '2026-11-09']);
    expect(filled[1]).toEqual({ week: '2026-10-19', feedback: 0, up: 0, down: 0, positiveRate: null, averageRating: null });
    expect(filled[4]!.feedback).toBe(1);
    expect(fillWeekGaps([])).toEqual([]);
  });

  it('break the rating line at an empty week instead of joining its neighbours', () => {
    expect(brokenLinePath([[1, 2], [3, 4], null, [5, 6], [7, 8]])).toBe('M1.0,2.0 L3.0,4.0 M5.0,6.0 L7.0,8.0');
    const html = renderToStaticMarkup(<RatingsChart weekly={[week('2026-10-12', 2, 1), week('2026-10-19', 1, 1), week('2026-11-09', 1, 0)]} />);
    const d = /<path d="([^"]+)" class="rv-line"/.exec(html)?.[1] ?? '';
    expect(d.match(/M/g)).toHaveLength(2);
    // Five weeks on the axis, three bars and three dots.
    expect(html.match(/<rect /g)).toHaveLength(3);
    expect(html.match(/<circle /g)).toHaveLength(3);
    expect(html).toContain('>Oct 26<');
  });

  it('space the positive rate bars by time, with no bar for an empty week', () => {
    const html = renderToStaticMarkup(<PositiveRateChart weekly={[week('2026-10-12', 2, 1), week('2026-11-09', 1, 0)]} />);
    expect(html.match(/<rect /g)).toHaveLength(2);
    const xs = [...html.matchAll(/<rect x="([\d.]+)"/g)].map((m) => Number(m[1]));
    // Oct 12 and Nov 9 are four weeks apart: their bars are four steps apart on a five-week axis.
    expect((xs[1]! - xs[0]!) / ((560 - 44 - 16) / 5)).toBeCloseTo(4);
  });
});

describe('positive share', () => {
  it('is computed from the counts, as in the chart: 184 up and 97 down is 65%, not a rounded 0.655 rounded again', () => {
    expect(positivePercent(184, 97)).toBe('65%');
    expect(renderToStaticMarkup(<PositiveRateChart weekly={[week('2026-11-30', 184, 97)]} />)).toContain('Nov 30: 65% of 281');
    expect(positivePercent(0, 0)).toBe('–');
  });
});

describe('answers given', () => {
  it('are the rateable ones: the share rated leaves out old ratings of failed answers, which are counted apart', () => {
    // 10 rated of which 2 failed part-way (rated before failed answers stopped being rateable); 40 rateable answers; 5 failed.
    const totals = { feedback: 10, answers: 40, failedAnswers: 5, ratedFailed: 2 };
    expect(answersGivenDetail(totals, true)).toBe('20% rated · 5 more failed part-way (not rateable)');
    expect(answersGivenDetail(totals, false)).toBe('5 more failed part-way (not rateable)');
    expect(ratedAnswersDetail(totals)).toBe('2 of them failed part-way');
    expect(answersGivenDetail({ feedback: 3, answers: 12, failedAnswers: 0, ratedFailed: 0 }, true)).toBe('25% rated');
    expect(ratedAnswersDetail({ ratedFailed: 0 })).toBeUndefined();
    expect(answersGivenDetail({ feedback: 0, answers: 0, failedAnswers: 0, ratedFailed: 0 }, true)).toBeUndefined();
  });

  it('read the counts of failed answers from the statistics, as zero from a server that has none', async () => {
    const stats = { totals: { feedback: 3, answers: 7, failedAnswers: 2, ratedFailed: 1 }, weekly: [], downvotedDocuments: [] };
    const older = { totals: { feedback: 3, answers: 7 }, weekly: [], downvotedDocuments: [] };
    const reviewApi = (body: unknown) => createReviewApi({ request: async () => body } as unknown as DocentApi);
    expect((await reviewApi(stats).stats({})).totals).toMatchObject({ answers: 7, failedAnswers: 2, ratedFailed: 1 });
    expect((await reviewApi(older).stats({})).totals).toMatchObject({ answers: 7, failedAnswers: 0, ratedFailed: 0 });
  });
});

describe('refused questions', () => {
  it('say how many were refused before any answer since the server started, and why', () => {
    const since = '2026-12-07T00:40:00.000Z';
    const note = refusedQuestionsNote({ since, indexBuilding: 2, tooLong: 1, rateLimited: 9 });
    expect(note).toMatch(/^12 questions refused before any answer since the server started \(.+\): 9 over a rate limit, 2 while the index was being built, 1 too long\. Refused questions are not stored\.$/);
    expect(refusedQuestionsNote({ since, indexBuilding: 0, tooLong: 1, rateLimited: 0 })).toMatch(/^1 question refused .*: 1 too long\./);
    expect(refusedQuestionsNote({ since, indexBuilding: 0, tooLong: 0, rateLimited: 0 })).toMatch(/^No question refused since the server started \(.+\)\.$/);
  });

  it('are read from the server, and left out for a server that does not count them (404)', async () => {
    const counts = { since: '2026-12-07T00:40:00.000Z', indexBuilding: 1, tooLong: 0, rateLimited: 3 };
    const reviewApi = (request: () => Promise<unknown>) => createReviewApi({ request } as unknown as DocentApi);
    expect(await reviewApi(async () => counts).refused()).toEqual(counts);
    expect(await reviewApi(async () => Promise.reject(new ApiRequestError(404, 'not_found', 'No such route.'))).refused()).toBeUndefined();
    await expect(reviewApi(async () => Promise.reject(new ApiRequestError(401, 'unauthorized', 'Admins only.'))).refused()).rejects.toMatchObject({ status: 401 });
  });
});

describe('documents behind down-votes', () => {
  it('mark a page that is no longer indexed', () => {
    const html = renderToStaticMarkup(
      <DownvotedDocumentsChart
        documents={[
          { path: 'guides/langsmith.md', title: 'LangSmith', cited: 40, retrieved: 64, pageRemoved: true },
          { path: 'guides/cookies.md', title: 'Cookies', cited: 3, retrieved: 3, pageRemoved: false },
        ]}
      />,
    );
    expect(html).toContain('40 / 64 · page removed');
    expect(html).toContain('guides/langsmith.md (page removed): cited 40, retrieved 64');
    expect(html).not.toContain('guides/cookies.md (page removed)');
  });

  it('tell down-voted answers that used no document from no down-vote at all', () => {
    expect(renderToStaticMarkup(<DownvotedDocumentsChart documents={[]} downVotes={103} />)).toContain(
      'No document was retrieved for the 103 down-voted answers in this period.',
    );
    expect(renderToStaticMarkup(<DownvotedDocumentsChart documents={[]} downVotes={1} />)).toContain('No document was retrieved for the down-voted answer in this period.');
    expect(renderToStaticMarkup(<DownvotedDocumentsChart documents={[]} downVotes={0} />)).toContain('No down-voted answers in this period.');
  });
});

describe('edited feedback', () => {
  it('is feedback changed well after it was first given, not the thumb, stars and comment given in one go', () => {
    expect(wasEdited({ createdAt: '2026-10-31T10:00:00Z', updatedAt: '2026-12-05T09:00:00Z' })).toBe(true);
    expect(wasEdited({ createdAt: '2026-10-31T10:00:00Z', updatedAt: '2026-10-31T10:01:30Z' })).toBe(false);
    expect(wasEdited({ createdAt: '2026-10-31T10:00:00Z', updatedAt: '2026-10-31T10:00:00Z' })).toBe(false);
  });
});

describe('citations that match no source', () => {
  it('are read from the list and named in one sentence; an answer without them, or stored before they were checked, gets none', async () => {
    const reply = {
      items: [
        { messageId: 'm1', vote: 'down', citations: { valid: [1], invalid: [7, 'x', 9] }, answeredAt: '2026-12-06T10:00:00.000Z' },
        { messageId: 'm2', vote: 'up', citations: null },
      ],
      total: 2,
      limit: 50,
      offset: 0,
      nextCursor: null,
    };
    const review = createReviewApi({ request: async () => reply } as unknown as DocentApi);
    const [withInvented, unchecked] = (await review.list({}, { limit: 50 })).items;
    expect(withInvented).toMatchObject({ citations: { valid: [1], invalid: [7, 9] }, answeredAt: '2026-12-06T10:00:00.000Z' });
    expect(unchecked).toMatchObject({ citations: null, answeredAt: '' });
    expect(inventedCitationsNote(withInvented!.citations)).toBe('The answer cites [7] and [9], which are not among its sources.');
    expect(inventedCitationsNote({ invalid: [3, 8, 12] })).toBe('The answer cites [3], [8] and [12], which are not among its sources.');
    expect(inventedCitationsNote({ invalid: [9] })).toBe('The answer cites [9], which is not one of its sources.');
    expect(inventedCitationsNote({ invalid: [] })).toBeUndefined();
    expect(inventedCitationsNote(null)).toBeUndefined();
  });
});
