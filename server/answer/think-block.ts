/**
 * Drops a reasoning block that opens the model's answer: `<think>…</think>`, as R1-style and
 * Qwen3 models served through Ollama or vLLM write their reasoning into the answer's text. Only a
 * block at the very start counts (after whitespace); a `<think>` later in an answer is the
 * answer's own text. Deltas are held back only while the start may still be, or is, such a block.
 */

export interface ThinkBlockFilter {
  /** Feeds a text delta; returns the answer text that is safe to show now. */
  push(delta: string): string;
  /** Ends the text: returns what was held back (nothing, when the block never closed). */
  flush(): string;
}

const OPEN = '<think>';
const CLOSE = '</think>';

/** Creates a filter for one answer. */
export function createThinkBlockFilter(): ThinkBlockFilter {
  /** `start`: nothing decided yet; `thinking`: inside the block; `after`: past it, whitespace still dropped. */
  let state: 'start' | 'thinking' | 'after' | 'answer' = 'start';
  let held = '';

  return {
    push(delta) {
      if (state === 'answer') return delta;
      held += delta;
      if (state === 'start') {
        const start = held.trimStart();
        if (OPEN.startsWith(start)) return ''; // whitespace, or the beginning of `<think>`
        if (!start.startsWith(OPEN)) {
          state = 'answer';
          const text = held;
          held = '';
          return text;
        }
        state = 'thinking';
        held = start.slice(OPEN.length);
      }
      if (state === 'thinking') {
        const close = held.indexOf(CLOSE);
        if (close === -1) {
          held = held.slice(-(CLOSE.length - 1)); // only what may begin `</think>`
          return '';
        }
        state = 'after';
        held = held.slice(close + CLOSE.length);
      }
      const text = held.trimStart();
      held = '';
      if (text !== '') state = 'answer';
      return text;
    },
    flush() {
      // An answer that is only `<thi` (or whitespace) had no reasoning block after all.
      const text = state === 'start' ? held : '';
      held = '';
      return text;
    },
  };
}
