/** `POST /api/messages/:id/feedback`: the user's vote, rating and comment on one of their answers. */
import { feedbackInputSchema, saveFeedback } from '../../feedback/store';
import type { AppDeps, DocentHono } from '../context';
import { ApiError, notFound, quotedId } from '../errors';
import { readJson } from '../validate';

/** The 404's message for feedback sent without a (valid) session cookie. */
export const NO_SESSION_MESSAGE =
  "Your browser did not keep Docent's cookie (it may block cookies from other sites), so this answer cannot be linked to you and rated.";

export function registerFeedbackRoutes(app: DocentHono, deps: AppDeps): void {
  app.post('/api/messages/:id/feedback', async (c) => {
    const id = c.req.param('id');
    const input = await readJson(c, feedbackInputSchema);
    const user = c.get('auth').user;
    // No session: the browser did not send the cookie it got with the answer (it blocks
    // third-party cookies on a site embedding Docent, say). Told as such: "no answer <uuid>" means
    // nothing to a reader.
    if (!user) throw notFound(NO_SESSION_MESSAGE);
    const saved = await saveFeedback(deps.db, user.id, id, input);
    if (!saved) throw notFound(`No answer ${quotedId(id)} among your messages.`);
    if (saved === 'not_finished') {
      throw new ApiError(409, 'answer_not_finished', 'That answer is still being written: rate it once it is complete.');
    }
    if (saved === 'failed') {
      throw new ApiError(409, 'answer_failed', 'That answer failed before its end, so it cannot be rated: ask the question again, and rate the new answer.');
    }
    deps.statsCache.invalidate();
    // Forwarded in the background, after the write; never delays or fails the response.
    if (saved.langsmithRunId) {
      deps.tracer.sendFeedback({
        runId: saved.langsmithRunId,
        feedbackId: saved.id,
        vote: saved.vote,
        rating: saved.rating,
        comment: saved.comment,
        created: saved.created,
      });
    }
    const { langsmithRunId: _runId, created, ...feedback } = saved;
    return c.json({ feedback }, created ? 201 : 200);
  });
}
