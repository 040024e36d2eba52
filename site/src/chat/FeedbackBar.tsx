/**
 * Feedback under an answer: thumbs up/down, then 1–5 stars and an optional comment. Every change
 * is saved right away (`POST /api/messages/:id/feedback`, which updates on a second call) and
 * the bar says when it is saved. Feedback saved in another tab or window of the chat, once the
 * chat is reloaded here, is shown too.
 */
import { useId, useState } from 'react';
import { describeError, type DocentApi } from './api';
import { Icon } from './icons';
import { feedbackKey } from './tab-return';
import type { Feedback } from './types';

type SaveState = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved' } | { kind: 'error'; message: string };

const COMMENT_MAX = 2000;

export interface FeedbackBarProps {
  api: DocentApi;
  /** The server's id of the answer. */
  messageId: string;
  /**
   * The answer's feedback as stored (from history, or saved here or in another tab since). When
   * it changes, the bar shows it, unless the bar is saving its own; a comment being written in the
   * bar is kept.
   */
  initial: Feedback | null | undefined;
  /** Called with the feedback once the server has saved it. Default: nothing. */
  onSaved?: (feedback: Feedback) => void;
}

export function FeedbackBar({ api, messageId, initial, onSaved }: FeedbackBarProps) {
  const [feedback, setFeedback] = useState<Feedback | undefined>(initial ?? undefined);
  const [comment, setComment] = useState(initial?.comment ?? '');
  const [state, setState] = useState<SaveState>(initial ? { kind: 'saved' } : { kind: 'idle' });
  const commentId = useId();

  // Stored feedback that changed since (rated in another tab or window): shown, as React derives
  // state from props, during the render.
  const storedKey = feedbackKey(initial);
  const [shownStored, setShownStored] = useState(storedKey);
  if (storedKey !== shownStored) {
    setShownStored(storedKey);
    if (state.kind !== 'saving' && storedKey !== feedbackKey(feedback)) {
      setFeedback(initial ?? undefined);
      // A comment being written here (not the one saved) stays in the box.
      if (comment.trim() === (feedback?.comment ?? '')) setComment(initial?.comment ?? '');
      setState(initial ? { kind: 'saved' } : { kind: 'idle' });
    }
  }

  const save = async (next: Feedback) => {
    const previous = feedback;
    setFeedback(next);
    setState({ kind: 'saving' });
    try {
      await api.sendFeedback(messageId, next);
      setState({ kind: 'saved' });
      // As the server keeps it (api.sendFeedback sends the same).
      onSaved?.({ vote: next.vote, rating: next.rating ?? null, comment: next.comment?.trim() || null });
    } catch (error) {
      setFeedback(previous);
      setState({ kind: 'error', message: describeError(error, api.base) });
    }
  };

  const vote = (v: 'up' | 'down') => save({ vote: v, rating: feedback?.rating ?? null, comment: feedback?.comment ?? null });
  const rate = (rating: number) => feedback && save({ ...feedback, rating });
  const commentDirty = (feedback?.comment ?? '') !== comment.trim();
  const canSaveComment = commentDirty && state.kind !== 'saving';
  const saveComment = () => feedback && canSaveComment && save({ ...feedback, comment: comment.trim() || null });

  return (
    <div className="dc-feedback" aria-label="Feedback on this answer" role="group">
      <div className="dc-feedback-row">
        <span className="dc-feedback-q">Helpful?</span>
        <button
          type="button"
          className="dc-icon-button"
          aria-pressed={feedback?.vote === 'up'}
          aria-label="Helpful (thumbs up)"
          onClick={() => void vote('up')}
        >
          <Icon name="thumbUp" filled={feedback?.vote === 'up'} size={16} />
        </button>
        <button
          type="button"
          className="dc-icon-button"
          aria-pressed={feedback?.vote === 'down'}
          aria-label="Not helpful (thumbs down)"
          onClick={() => void vote('down')}
        >
          <Icon name="thumbDown" filled={feedback?.vote === 'down'} size={16} />
        </button>
        {feedback && (
          <span className="dc-stars" role="group" aria-label="Rating">
            {[1, 2, 3, 4, 5].map((n) => (
              <button
                key={n}
                type="button"
                className="dc-star"
                aria-pressed={feedback.rating === n}
                aria-label={`Rate ${n} out of 5`}
                data-on={(feedback.rating ?? 0) >= n}
                onClick={() => void rate(n)}
              >
                <Icon name="star" filled={(feedback.rating ?? 0) >= n} size={16} />
              </button>
            ))}
          </span>
        )}
        <span className="dc-feedback-status" role="status" aria-live="polite">
          {state.kind === 'saving' && 'Saving…'}
          {state.kind === 'saved' && (
            <>
              <Icon name="check" size={14} /> Saved
            </>
          )}
        </span>
      </div>
      {state.kind === 'error' && (
        <p className="dc-inline-error" role="alert">
          Feedback not saved: {state.message}
        </p>
      )}
      {feedback && (
        <form
          className="dc-comment"
          onSubmit={(event) => {
            event.preventDefault();
            void saveComment();
          }}
        >
          <label htmlFor={commentId} className="dc-sr-only">
            Comment (optional)
          </label>
          <textarea
            id={commentId}
            rows={2}
            maxLength={COMMENT_MAX}
            placeholder={feedback.vote === 'down' ? 'What was wrong or missing? (optional)' : 'Anything to add? (optional)'}
            value={comment}
            onChange={(event) => setComment(event.target.value)}
          />
          {/* aria-disabled, not disabled: a disabled button loses the focus (to <body>) the moment
              it is saved, and the keyboard user with it. */}
          <button type="submit" className="dc-button dc-button-small" aria-disabled={!canSaveComment}>
            Save comment
          </button>
        </form>
      )}
    </div>
  );
}
