import { describe, expect, it } from 'vitest';
import {
  ANSWER_TOO_LONG,
  embeddingRateLimitMessage,
  storedErrorRetryMayHelp,
  CLIENT_WENT_AWAY,
  errorDetails,
  modelFailureKind,
  readerErrorMessage,
  readerStoredError,
  redactSecrets,
  retryMayHelp,
  SERVER_STOPPED,
} from '../server/answer/errors';
import { answerExitCode, EXIT_ANSWER_FAILED, EXIT_TRY_LATER } from '../server/ask-exit';
import { EmbeddingError, type EmbeddingFailureReason, isTransientFailure } from '../server/embed/failure';

describe('answer errors', () => {
  it('redacts URL credentials, key-like query values, bearer tokens, sk- keys and configured secrets', () => {
    const text =
      'GET https://bob:pa55@llm.internal:8443/v1/chat?api-key=abc123&model=x&access_token=zz9 with Authorization: Bearer eyJhbGciOi.x-y ' +
      'key sk-proj-AbCdEf123456 and my-own-secret-value';
    const out = redactSecrets(text, ['my-own-secret-value', undefined]);
    expect(out).toBe(
      'GET https://***@llm.internal:8443/v1/chat?api-key=***&model=x&access_token=*** with Authorization: Bearer *** key sk-*** and ***',
    );
  });

  it('tells readers the kind of failure only', () => {
    const apiError = Object.assign(new Error('Bad gateway from http://10.1.2.3:9000/v1'), { name: 'AI_APICallError', statusCode: 502 });
    const retry = Object.assign(new Error('Failed after 2 attempts. Last error: Bad gateway'), { name: 'AI_RetryError', lastError: apiError });
    expect(readerErrorMessage(retry, true)).toBe('The language model could not answer: HTTP 502 (the model server failed). Please try again.');
    expect(modelFailureKind(Object.assign(new Error('connect ECONNREFUSED 10.0.0.7:11434'), { code: 'ECONNREFUSED' }))).toBe(
      'the connection to the model server failed',
    );
    expect(modelFailureKind(new DOMException('The operation timed out.', 'TimeoutError'))).toBe('timed out');
    expect(readerErrorMessage(new Error('connect to db.internal:5432 failed'), false)).toBe('The answer failed on the server. Please try again.');
    expect(errorDetails(retry)).toContain('http://10.1.2.3:9000/v1');
  });

  it('reads back every message it tells readers as it is, and a provider’s raw text stored before as the kind of failure', () => {
    const errors = [
      ...Array.from({ length: 200 }, (_, i) => ({ statusCode: 400 + i })),
      new Error('connect ECONNREFUSED 10.0.0.7:11434'),
      new Error('The operation timed out.'),
      new Error('Invalid JSON response'),
      new Error('something odd'),
    ];
    for (const error of errors) {
      for (const modelFailed of [true, false]) {
        const message = readerErrorMessage(error, modelFailed);
        expect(readerStoredError(message)).toBe(message);
      }
    }
    for (const message of [CLIENT_WENT_AWAY, SERVER_STOPPED, ANSWER_TOO_LONG]) expect(readerStoredError(message)).toBe(message);
    expect(readerStoredError(null)).toBeNull();
    expect(readerStoredError('HTTP 503: upstream connect error at http://10.1.2.3:9000/v1?key=abc')).toBe(
      'The language model could not answer: HTTP 503 (the model server failed). Please try again.',
    );
    // Our own wording with a kind Docent never writes is not taken as ours.
    expect(readerStoredError('The language model could not answer: http://10.1.2.3 refused. Please try again.')).toBe(
      'The answer failed on the server. Please try again.',
    );
  });
});

describe('a question the embedding model could not read', () => {
  const told = (reason: EmbeddingFailureReason) =>
    readerErrorMessage(new EmbeddingError(`embedding model x at http://user:pw@embed.internal/v1: secret detail`, reason), false);
  const reasons: EmbeddingFailureReason[] = [
    { kind: 'timeout', seconds: 15 },
    { kind: 'unreachable' },
    { kind: 'status', status: 429 },
    { kind: 'status', status: 503 },
    { kind: 'status', status: 401 },
    { kind: 'status', status: 404 },
    { kind: 'status', status: 400 },
    { kind: 'invalid-response' },
    { kind: 'unusable-vector' },
    { kind: 'local-model' },
  ];

  it('tells the reader what happened in a reader’s words, and whether trying again can help, without the error’s own text', () => {
    expect(told({ kind: 'local-model' })).toBe('The docs could not be searched for your question: the search failed on the server. Please try again.');
    expect(told({ kind: 'timeout', seconds: 15 })).toBe(
      'The docs could not be searched for your question: the search service did not answer within 15 s. Please try again.',
    );
    expect(told({ kind: 'unusable-vector' })).toBe(
      'The docs could not be searched for your question: the search service sent an answer that cannot be used. ' +
        'Trying again will not help until the site’s operator fixes the server’s configuration.',
    );
    expect(told({ kind: 'status', status: 400 })).toMatch(/: the search service refused the request \(HTTP 400\)\. Trying again will not help/);
    expect(told({ kind: 'status', status: 502 })).toMatch(/: the search service failed \(HTTP 502\)\. Please try again\.$/);
    expect(embeddingRateLimitMessage(60)).toBe(
      'The docs could not be searched for your question: the search service is busy: too many questions, or its quota is used up (HTTP 429; it asks to wait 60 s). Please try again.',
    );
  });

  it('never names the embedding model or server, which readers of a docs site do not know', () => {
    for (const reason of reasons) expect(told(reason)).not.toMatch(/embedding|vector|secret|internal/i);
  });

  it('reads each such message back as it is, and npm run ask exits 75 only for the ones that pass', () => {
    for (const reason of reasons) {
      const message = told(reason);
      expect(readerStoredError(message)).toBe(message);
      expect(answerExitCode(message)).toBe(isTransientFailure(reason) ? EXIT_TRY_LATER : EXIT_ANSWER_FAILED);
      expect(storedErrorRetryMayHelp(message)).toBe(isTransientFailure(reason));
    }
    expect(answerExitCode(embeddingRateLimitMessage(60))).toBe(EXIT_TRY_LATER);
    // Text that only looks like one is not trusted.
    expect(readerStoredError('The docs could not be searched for your question: http://embed.internal is down. Please try again.')).toBe(
      'The answer failed on the server. Please try again.',
    );
    expect(readerStoredError('The embedding model could not read the question: http://embed.internal is down. Please try again.')).toBe(
      'The answer failed on the server. Please try again.',
    );
  });

  it('reads answers stored in the earlier wording back in today’s, still telling whether trying again helps', () => {
    expect(readerStoredError('The embedding model could not read the question: HTTP 503 (the embedding server failed). Please try again.')).toBe(
      told({ kind: 'status', status: 503 }),
    );
    const refused =
      'The embedding model could not read the question: HTTP 401 (the embedding server refused the API key). Trying again will not help until the site’s operator fixes the server’s configuration.';
    expect(readerStoredError(refused)).toBe(told({ kind: 'status', status: 401 }));
    expect(storedErrorRetryMayHelp(refused)).toBe(false);
    expect(answerExitCode(refused)).toBe(EXIT_ANSWER_FAILED);
    const limited = 'The embedding model could not read the question: HTTP 429 (the embedding server is rate limiting, or the quota is used up; it asks to retry in 20 s). Please try again.';
    expect(readerStoredError(limited)).toBe(embeddingRateLimitMessage(20));
    expect(answerExitCode(limited)).toBe(EXIT_TRY_LATER);
    expect(readerStoredError('The embedding model could not read the question: timed out (no answer within 0.5 s). Please try again.')).toBe(
      told({ kind: 'timeout', seconds: 0.5 }),
    );
  });

  it('says a stored error may pass on a retry, unless the model server refused the key or lacks the model', () => {
    expect(storedErrorRetryMayHelp(null)).toBe(true);
    expect(storedErrorRetryMayHelp('The language model could not answer: HTTP 502 (the model server failed). Please try again.')).toBe(true);
    expect(storedErrorRetryMayHelp('The language model could not answer: timed out. Please try again.')).toBe(true);
    for (const status of [401, 403, 404]) {
      const told = readerErrorMessage({ statusCode: status }, true);
      expect(told).toMatch(/\. Trying again will not help until the site’s operator fixes the server’s configuration\.$/);
      expect(storedErrorRetryMayHelp(told)).toBe(false);
      // As told before, ending "Please try again.": the same.
      expect(storedErrorRetryMayHelp(told.replace(/Trying again .*$/, 'Please try again.'))).toBe(false);
      expect(readerStoredError(told.replace(/Trying again .*$/, 'Please try again.'))).toBe(told);
    }
    // A prompt too long for the model, whatever the status, is the reader's to shorten: it ends as before.
    expect(readerErrorMessage({ statusCode: 400, message: 'maximum context length is 8192 tokens' }, true)).toMatch(/Please try again\.$/);
  });

  it('tells retryMayHelp of a language model failure by its status', () => {
    expect(retryMayHelp({ statusCode: 401 })).toBe(false);
    expect(retryMayHelp({ statusCode: 404 })).toBe(false);
    expect(retryMayHelp({ statusCode: 429 })).toBe(true);
    expect(retryMayHelp({ statusCode: 500 })).toBe(true);
    expect(retryMayHelp(new Error('connect ECONNREFUSED 10.0.0.7:11434'))).toBe(true);
  });
});
