/** Shapes of the review API (admin only): `GET /api/review/feedback`, `/stats`, `/feedback.csv`. */
import type { RetrievalSettings, SourceInfo } from '../chat/types';

export interface ReviewFilters {
  vote?: 'up' | 'down' | undefined;
  /** Exact rating, 1–5. */
  rating?: number | undefined;
  /** `YYYY-MM-DD`, inclusive: a day in the maintainer's time zone. */
  from?: string | undefined;
  /** `YYYY-MM-DD`, inclusive (the whole day, in the maintainer's time zone). */
  to?: string | undefined;
  /** Source name or path prefix of a retrieved source. */
  source?: string | undefined;
  hasComment?: boolean | undefined;
}

export interface ReviewSource extends SourceInfo {
  cited: boolean;
  /** The page is no longer indexed: its link is dead, and it cannot be an eval case's gold. */
  pageRemoved: boolean;
  /** The page is there, but this section (its anchor) no longer is. */
  sectionRemoved: boolean;
}

export interface ReviewItem {
  feedbackId: string;
  messageId: string;
  chatId: string;
  vote: 'up' | 'down';
  rating: number | null;
  comment: string | null;
  /** When the reader first gave the feedback. */
  createdAt: string;
  /** When the reader last changed it (the list is sorted and filtered by it). */
  updatedAt: string;
  question: string;
  answer: string;
  status: string;
  model: string | null;
  latencyMs: number | null;
  retrievalSettings: RetrievalSettings | null;
  retrievalQuery: string | null;
  /** The answer's citation numbers that match a source (`valid`) and that match none (`invalid`); `null` for answers stored before they were checked. */
  citations: { valid: number[]; invalid: number[] } | null;
  /** When the answer was given. */
  answeredAt: string;
  sources: ReviewSource[];
}

export interface ReviewPage {
  items: ReviewItem[];
  total: number;
  limit: number;
  /** Rows before this page. */
  offset: number;
  /** The `cursor` of the next page; `null` after the last. */
  nextCursor: string | null;
}

export interface WeeklyStats {
  /** Monday of the week, `YYYY-MM-DD`. */
  week: string;
  feedback: number;
  up: number;
  down: number;
  positiveRate: number | null;
  averageRating: number | null;
}

export interface ReviewStats {
  totals: {
    feedback: number;
    up: number;
    down: number;
    positiveRate: number | null;
    withComment: number;
    averageRating: number | null;
    ratings: Record<string, number>;
    /** Answers given that readers can rate (complete, cut off or stopped), rated or not; `null` from a server that does not count them. */
    answers: number | null;
    /** Answers that failed part-way (never rateable). */
    failedAnswers: number;
    /** Of `feedback`, ratings of failed answers given before those stopped being rateable. */
    ratedFailed: number;
  };
  weekly: WeeklyStats[];
  /** Documents most often cited in down-voted answers. */
  downvotedDocuments: { path: string; title: string; cited: number; retrieved: number; pageRemoved: boolean }[];
}

/** Questions refused before any answer began (not stored), counted since the server started (`GET /api/review/refused`). */
export interface RefusedQuestions {
  since: string;
  indexBuilding: number;
  tooLong: number;
  rateLimited: number;
}

/** One eval case, in the eval set's format. */
export interface EvalCase {
  id: string;
  question: string;
  gold: { path: string; heading: string }[];
}
