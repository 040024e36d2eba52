/**
 * Makes micromark's `EditMap.consume()` cost what it changes, not the whole page.
 *
 * micromark (the parser behind remark-parse) applies its edits to a tokenizer's event list with
 * `EditMap.consume(events)`, which copies every event of the list, also those before the first
 * edit. Its document tokenizer calls it each time a nested list item ends and the list goes on
 * (`documentContinue`, with edits at the very end of the list), so a page whose list nests is
 * parsed in time that grows with the square of its length: a 240 kB page of nested list items
 * spent 20 of its 24 s parsing in `consume`, and a 1.9 MB one did not finish in 14 minutes
 * (BENCHMARKS.md, "Long lists").
 *
 * {@link installLinearEditMap} replaces `consume` with one that leaves the events before the
 * first edit where they are and has micromark's own `consume` apply the edits to the rest, so the
 * events come out exactly as before (same objects, same order). Installed once, when `parse.ts`
 * is loaded; micromark is only ever imported by the markdown parsers, so nothing else sees it.
 */
import { EditMap } from 'micromark-util-edit-map';

type Events = Parameters<EditMap['consume']>[0];

/** micromark's own `consume`, which {@link installLinearEditMap} calls on the events from the first edit on. */
export const micromarkConsume = EditMap.prototype.consume;

/**
 * `consume` that copies only the events from the first edit on: micromark's `consume` applied to
 * those alone, with the edits' positions shifted by where they start, then put back in place.
 */
function consumeFromFirstEdit(this: EditMap, events: Events): undefined {
  let first = Number.POSITIVE_INFINITY;
  for (const change of this.map) if (change[0] < first) first = change[0];
  // Nothing to gain (or an edit past the end, which micromark's own code handles as it does).
  if (this.map.length === 0 || first === 0 || first > events.length) return micromarkConsume.call(this, events);
  const rest = events.slice(first);
  // Every position shifted by the same amount: the edits keep their order. (`index`, keyed by the
  // old positions, is only used to add edits, and `consume` empties it.)
  for (const change of this.map) change[0] -= first;
  micromarkConsume.call(this, rest);
  events.length = first;
  for (const event of rest) events.push(event);
  return undefined;
}

/** Replaces `EditMap.prototype.consume` with {@link consumeFromFirstEdit}; a second call changes nothing. */
export function installLinearEditMap(): void {
  EditMap.prototype.consume = consumeFromFirstEdit;
}

/** Whether {@link installLinearEditMap} is in effect (micromark's own `consume` is not). */
export function isLinearEditMapInstalled(): boolean {
  return EditMap.prototype.consume === consumeFromFirstEdit;
}
