/**
 * The docs site's search: a header button (also `/` and Ctrl/Cmd+K, when the focus is not in a
 * text field) that opens a modal dialog searching the docs through the server's `GET /api/search`,
 * the chat's own ranking, as the reader types (`latest-search.ts`: after a pause in typing, older
 * requests aborted, stale answers ignored). Each result is a link to its section's anchor: the
 * page title › heading breadcrumb, and a snippet with the query's words marked (`snippet.ts`).
 *
 * Keyboard: ↓ from the search box moves the focus to the first result, and ↑/↓ through the
 * results (↑ on the first goes back to the box; typing there goes on in the box); Enter opens the
 * result with the focus, or, in the box, the first one; Esc closes the dialog and gives the focus
 * back to the header button; Tab stays inside the dialog. The results are plain links (a link in
 * a listbox option would be a control inside a control), so a result also opens in a new tab.
 * When nothing is found (Docent would not answer either) the dialog offers the full-page chat
 * with the query as its question (`/chat/?q=`).
 */
import { type KeyboardEvent as ReactKeyboardEvent, type MouseEvent as ReactMouseEvent, useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { createDocentApi } from '../chat/api';
import { keepFocusIn } from '../chat/focus-trap';
import { LiveStatus } from '../chat/live-status';
import { createLatestSearch, type LatestSearchState } from './latest-search';
import { isOpenShortcut, isTextField, takeSearchAskedBeforeReady } from './open-before-ready';
import { type DocsSearchResult, describeSearchFailure, MAX_QUERY_CHARS, searchDocs } from './search-api';
import { breadcrumb, markedSnippet, markedText, type SnippetPart } from './snippet';
import './search.css';

export interface DocsSearchProps {
  /** The Docent server's origin; `''` (default) for same-origin `/api/...`. */
  apiBase?: string;
  /** The full-page chat, offered when nothing is found. Default: `/chat/`. */
  chatUrl?: string;
}

/** Follows a result's link; a link to a section of this page closes the dialog and scrolls there too. */
function openResult(url: string): void {
  const target = new URL(url, location.href);
  const samePage = target.origin === location.origin && target.pathname === location.pathname && target.search === location.search;
  if (samePage && target.hash === location.hash && target.hash) {
    // The address does not change: the browser would not scroll again.
    document.getElementById(decodeURIComponent(target.hash.slice(1)))?.scrollIntoView();
    return;
  }
  location.assign(target.href);
}

type Results = { query: string; list: DocsSearchResult[] };

/** Parts of a text, the marked ones in `<mark>`. */
const marked = (parts: SnippetPart[]) => parts.map((part, i) => (part.marked ? <mark key={i}>{part.text}</mark> : part.text));

export default function DocsSearch({ apiBase = '', chatUrl = '/chat/' }: DocsSearchProps) {
  const api = useMemo(() => createDocentApi(apiBase), [apiBase]);
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [state, setState] = useState<LatestSearchState<DocsSearchResult[]>>({ status: 'idle', query: '' });
  // The last results found: still shown, dimmed, while the next query is searched.
  const [results, setResults] = useState<Results | undefined>();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const id = useId();

  const searcher = useMemo(
    () =>
      createLatestSearch<DocsSearchResult[]>({
        search: (query, signal) =>
          searchDocs(api, query, signal, {
            language: document.documentElement.dataset.docentLanguage?.trim(),
            page: location.pathname,
          }),
        onChange: (next) => {
          setState(next);
          if (next.status === 'done') setResults({ query: next.query, list: next.result });
          else if (next.status !== 'searching') setResults(undefined);
        },
      }),
    [api],
  );

  const show = useCallback(() => setOpen(true), []);

  const close = useCallback(
    ({ returnFocus = true }: { returnFocus?: boolean } = {}) => {
      searcher.cancel();
      dialogRef.current?.close();
      setOpen(false);
      if (returnFocus) buttonRef.current?.focus();
    },
    [searcher],
  );

  // The dialog opens modal (the page behind is inert) with the box focused and its text selected,
  // searched again (answered from what was kept, if it was searched before).
  useEffect(() => {
    const dialog = dialogRef.current;
    if (!open || !dialog) return;
    if (!dialog.open) dialog.showModal();
    inputRef.current?.focus();
    inputRef.current?.select();
    if (inputRef.current) searcher.setQuery(inputRef.current.value);
  }, [open, searcher]);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing || !isOpenShortcut(event) || isTextField(event.target)) return;
      if (dialogRef.current?.open) return;
      event.preventDefault();
      show();
    };
    document.addEventListener('keydown', onKeyDown);
    // The button, `/` or Ctrl/Cmd+K pressed while this island was still loading (`page-chrome.ts`).
    if (takeSearchAskedBeforeReady(document)) show();
    return () => {
      document.removeEventListener('keydown', onKeyDown);
      searcher.cancel();
    };
  }, [show, searcher]);

  // New results replace the links: one that had the focus (the reader moved down before they
  // arrived) is gone, and the focus, fallen to the page's body, goes back to the box.
  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog?.open) return;
    const active = document.activeElement;
    if (active === null || active === document.body || !dialog.contains(active)) inputRef.current?.focus();
  }, [results]);

  const list = results?.list ?? [];
  const links = () => [...(listRef.current?.querySelectorAll<HTMLAnchorElement>('a[href]') ?? [])];

  const follow = (index: number) => {
    const result = list[index];
    if (!result) return;
    close({ returnFocus: false });
    openResult(result.url);
  };

  const onInputKeyDown = (event: ReactKeyboardEvent<HTMLInputElement>) => {
    if (event.nativeEvent.isComposing) return;
    if (event.key === 'ArrowDown' && list.length) {
      event.preventDefault();
      links()[0]?.focus();
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (state.status === 'searching') searcher.flush();
      else if (list.length) follow(0);
    }
  };

  // In the results: ↑/↓ move from link to link (↑ on the first goes back to the box); a key that
  // types (or deletes) goes to the box, which takes the focus before the character arrives.
  const onResultsKeyDown = (event: ReactKeyboardEvent<HTMLUListElement>) => {
    const all = links();
    const at = all.indexOf(document.activeElement as HTMLAnchorElement);
    if (at < 0) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const next = event.key === 'ArrowDown' ? Math.min(at + 1, all.length - 1) : at - 1;
      (next < 0 ? inputRef.current : all[next])?.focus();
    } else if ((event.key.length === 1 || event.key === 'Backspace') && !event.ctrlKey && !event.metaKey && !event.altKey && event.key !== ' ') {
      inputRef.current?.focus();
    }
  };

  const onDialogKeyDown = (event: ReactKeyboardEvent<HTMLDialogElement>) => {
    if (event.key === 'Escape') {
      // Handled here, and kept from the page's own Esc handlers (the navigation drawer).
      event.preventDefault();
      event.stopPropagation();
      close();
    } else if (event.key === 'Tab' && dialogRef.current) {
      keepFocusIn(dialogRef.current, event);
    }
  };

  const onResultClick = (event: ReactMouseEvent<HTMLAnchorElement>, index: number) => {
    // Enter on a focused link is a click too.
    // A click that opens a new tab or window leaves the dialog as it is.
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    follow(index);
  };

  const query = state.query;
  // The query the results shown were found for (the box may say more while the next search runs).
  const shownQuery = results?.query ?? query;
  const searching = state.status === 'searching';
  const failure = state.status === 'failed' ? describeSearchFailure(state.error) : undefined;
  const nothingFound = state.status === 'done' && state.result.length === 0;
  const chatHref = `${chatUrl}?${new URLSearchParams({ q: query })}`;
  const status = searching
    ? 'Searching…'
    : state.status === 'done'
      ? nothingFound
        ? `Nothing in the docs matches “${query}”.`
        : `${state.result.length} ${state.result.length === 1 ? 'result' : 'results'}: the down arrow key moves to them.`
      : '';

  return (
    <>
      <button
        ref={buttonRef}
        type="button"
        className="header-button docs-search-button"
        aria-label="Search the docs"
        aria-haspopup="dialog"
        aria-keyshortcuts="/ Control+K Meta+K"
        onClick={show}
      >
        <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
          <path d="m21 21-4.3-4.3M19 11a8 8 0 1 1-16 0 8 8 0 0 1 16 0Z" />
        </svg>
        <span className="hide-narrow">Search</span>
        <kbd className="hide-narrow docs-search-key" aria-hidden="true">/</kbd>
      </button>
      <dialog
        ref={dialogRef}
        className="docs-search"
        aria-labelledby={`${id}-title`}
        onKeyDown={onDialogKeyDown}
        onCancel={(event) => {
          event.preventDefault();
          close();
        }}
        onClick={(event) => {
          // A click on the backdrop (outside the dialog's box) closes it.
          if (event.target === dialogRef.current) close();
        }}
      >
        {open && (
          <div className="docs-search-box">
            <h2 id={`${id}-title`} className="sr-only">
              Search the docs
            </h2>
            <div className="docs-search-field">
              <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
                <path d="m21 21-4.3-4.3M19 11a8 8 0 1 1-16 0 8 8 0 0 1 16 0Z" />
              </svg>
              <label htmlFor={`${id}-input`} className="sr-only">
                Search the docs
              </label>
              <input
                ref={inputRef}
                id={`${id}-input`}
                type="search"
                enterKeyHint="search"
                aria-controls={`${id}-results`}
                autoComplete="off"
                spellCheck={false}
                maxLength={MAX_QUERY_CHARS}
                placeholder="Search the docs"
                value={text}
                onChange={(event) => {
                  setText(event.target.value);
                  searcher.setQuery(event.target.value);
                }}
                onKeyDown={onInputKeyDown}
              />
              <button type="button" className="docs-search-close" onClick={() => close()}>
                Close
              </button>
            </div>
            <LiveStatus className="docs-search-status">{status}</LiveStatus>
            {failure && (
              <div className="docs-search-message" role="alert" data-kind={failure.kind}>
                <p>{failure.message}</p>
                {failure.kind !== 'no-server' && failure.kind !== 'index-building' && (
                  <button type="button" className="docs-search-action" onClick={() => searcher.retry()}>
                    Try again
                  </button>
                )}
              </div>
            )}
            {nothingFound && (
              <div className="docs-search-message">
                <p>Docent found no section about this, so the chat would say it is not in the docs too. Ask in your own words, or try other words here.</p>
                <a className="docs-search-action" href={chatHref}>
                  Ask the docs: “{query}”
                </a>
              </div>
            )}
            <ul ref={listRef} id={`${id}-results`} className="docs-search-results" aria-label="Results" aria-busy={searching} hidden={list.length === 0} onKeyDown={onResultsKeyDown}>
              {list.map((result, index) => (
                <li key={`${index}:${result.url}`}>
                  <a href={result.url} onClick={(event) => onResultClick(event, index)}>
                    <span className="docs-search-crumbs">{marked(markedText(breadcrumb(result.title, result.headings).join(' › '), shownQuery))}</span>
                    <span className="docs-search-snippet">{marked(markedSnippet(result.text, shownQuery))}</span>
                  </a>
                </li>
              ))}
            </ul>
            {state.status === 'idle' && <p className="docs-search-hint">Type at least two characters. ↓ and ↑ move through the results, Enter opens one, Esc closes.</p>}
          </div>
        )}
      </dialog>
    </>
  );
}
