/**
 * `sidebarFields()`: the sidebar's order, label and hidden flag from a page's frontmatter, as
 * Docent, Starlight, Hugo, Docusaurus and VitePress write them; other shapes are ignored.
 */
import { describe, expect, it } from 'vitest';
import { sidebarFields } from '../site/src/lib/sidebar-fields';

describe('sidebarFields', () => {
  it('reads Docent\'s order and sidebar: false', () => {
    expect(sidebarFields({ order: 2 })).toEqual({ order: 2, label: undefined, hidden: false });
    expect(sidebarFields({ sidebar: false })).toEqual({ order: undefined, label: undefined, hidden: true });
    expect(sidebarFields({ sidebar: true })).toEqual({ order: undefined, label: undefined, hidden: false });
  });

  it('reads Starlight\'s sidebar object: label, order, hidden', () => {
    expect(sidebarFields({ sidebar: { label: ' Intro ', order: 3, badge: 'New' } })).toEqual({ order: 3, label: 'Intro', hidden: false });
    expect(sidebarFields({ sidebar: { hidden: true } })).toEqual({ order: undefined, label: undefined, hidden: true });
  });

  it('takes the order from order, then sidebar.order, Hugo\'s weight, its first menu weight, Docusaurus\' sidebar_position', () => {
    const all = { order: 1, sidebar: { order: 2 }, weight: 3, menu: { docs: { weight: 4 } }, sidebar_position: 5 };
    expect(sidebarFields(all).order).toBe(1);
    expect(sidebarFields({ ...all, order: undefined }).order).toBe(2);
    expect(sidebarFields({ ...all, order: undefined, sidebar: undefined }).order).toBe(3);
    expect(sidebarFields({ menu: { main: { parent: 'x' }, docs: { weight: '40' } }, sidebar_position: 5 }).order).toBe(40);
    expect(sidebarFields({ menu: 'docs', sidebar_position: 5 }).order).toBe(5);
  });

  it('takes Docusaurus\' sidebar_label when Starlight\'s label is absent', () => {
    expect(sidebarFields({ sidebar_label: 'Quick start' }).label).toBe('Quick start');
    expect(sidebarFields({ sidebar: { label: 'A' }, sidebar_label: 'B' }).label).toBe('A');
  });

  it('ignores values of other shapes instead of failing', () => {
    expect(sidebarFields({ sidebar: 'left', weight: 'heavy', menu: ['docs'], sidebar_position: null, sidebar_label: 7 })).toEqual({
      order: undefined,
      label: undefined,
      hidden: false,
    });
  });
});
