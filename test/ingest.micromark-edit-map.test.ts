import { EditMap } from 'micromark-util-edit-map';
import type { Event } from 'micromark-util-types';
import { describe, expect, it } from 'vitest';
import { isLinearEditMapInstalled, micromarkConsume } from '../ingest/micromark-edit-map';
import { parseDocument } from '../ingest/parse';

let seed = 3;
const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const below = (n: number) => Math.floor(random() * n);
/** Stand-ins for micromark's events: `consume` only moves them around. */
const events = (n: number, tag: string) => Array.from({ length: n }, (_, i) => [tag, i] as unknown as Event);

describe('installLinearEditMap() (micromark-edit-map.ts)', () => {
  it('is in effect once parse.ts is loaded', () => {
    expect(isLinearEditMapInstalled()).toBe(true);
  });

  it('leaves the events exactly as micromark’s own consume() does', () => {
    for (let round = 0; round < 500; round++) {
      const length = below(60);
      const changes = Array.from({ length: below(5) }, (_, i) => ({ at: below(length + 3), remove: below(4), add: events(below(4), `add${i}`), before: random() < 0.3 }));
      const apply = (consume: (this: EditMap, events: Event[]) => undefined) => {
        const list = events(length, 'e');
        const map = new EditMap();
        for (const c of changes) (c.before ? map.addBefore : map.add).call(map, c.at, c.remove, [...c.add]);
        consume.call(map, list);
        return { list, map: map.map.length, index: map.index.size };
      };
      expect(apply(EditMap.prototype.consume), JSON.stringify(changes)).toEqual(apply(micromarkConsume));
    }
  });

  it('makes parsing a long nested list touch each event a bounded number of times, not once per list item', () => {
    /** Events read or written by consume() while parsing `source`, per line of it. */
    const touchedPerLine = (source: string) => {
      const consume = EditMap.prototype.consume;
      let touched = 0;
      EditMap.prototype.consume = function (this: EditMap, list: Event[]) {
        const counted = new Proxy(list, {
          get(target, key, receiver) {
            if (typeof key === 'string' && /^\d+$/.test(key)) touched++;
            return Reflect.get(target, key, receiver);
          },
          set(target, key, value, receiver) {
            if (typeof key === 'string' && /^\d+$/.test(key)) touched++;
            return Reflect.set(target, key, value, receiver);
          },
        });
        return consume.call(this, counted);
      };
      try {
        parseDocument(source, 'api.md');
      } finally {
        EditMap.prototype.consume = consume;
      }
      return touched / source.split('\n').length;
    };
    const nested = (items: number) =>
      `# API\n\n${Array.from({ length: items }, (_, i) => `- group ${i}\n  - method ${i}: reads a value\n    - returns a promise\n  - option ${i}`).join('\n')}\n`;
    const small = touchedPerLine(nested(150));
    const large = touchedPerLine(nested(600));
    // Copying the whole event list at each nested item's end: ~4 times as many per line at 4 times the length.
    expect(large).toBeLessThan(small * 1.5);
    expect(large).toBeLessThan(100);
  });
});
