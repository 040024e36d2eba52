/**
 * Retrieval settings (`GET`/`PUT /api/settings`): search on/off, max results, min score, and
 * per-source preference (prefer / exclude) over what `GET /api/sources` lists, plus any path
 * prefix typed in. Saved settings apply to the next question. An entry that matches no indexed
 * page (the server's `unmatched`: a typo such as `guide/` for `guides/`) is kept, and said.
 *
 * Changes not saved yet are a draft the panel hands to its owner (`onDraftChange`), which gives it
 * back (`draft`) when the panel opens again, also on another page of the tab (settings-draft.ts):
 * leaving the panel never drops them. The panel says they are not saved, and offers to discard
 * them. Text typed in "Add a source or path prefix" and not added yet is part of the draft, and
 * Save asks for it to be added (Prefer or Exclude) or cleared rather than dropping it. A draft made
 * from settings saved since in another tab is applied to what was saved there, and said. So is a
 * Save refused because another tab saved meanwhile (the server's 409 `settings_changed`, as Save
 * sends the version it read in `If-Match`): nothing is overwritten without a word.
 */
import { Fragment, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { ApiRequestError, describeError, type DocentApi } from './api';
import { LiveStatus } from './live-status';
import { rebaseDraft, type SettingsDraft } from './settings-draft';
import type { RetrievalSettings, SourceOption } from './types';

type Choice = 'any' | 'prefer' | 'exclude';

/** Whether two settings say the same (the order of a source list does not matter; `unmatched` is the server's, not the reader's). */
export function sameSettings(a: RetrievalSettings, b: RetrievalSettings): boolean {
  const sameList = (x: string[], y: string[]) => x.length === y.length && [...x].sort().join('\n') === [...y].sort().join('\n');
  return (
    a.enabled === b.enabled &&
    a.maxResults === b.maxResults &&
    a.minScore === b.minScore &&
    sameList(a.preferredSources, b.preferredSources) &&
    sameList(a.excludedSources, b.excludedSources)
  );
}

export interface SettingsPanelProps {
  api: DocentApi;
  /** Called by the panel's "Back to chat". */
  onDone: () => void;
  /** Changes the reader made and has not saved, kept while the panel was closed: shown instead of the saved settings. Default: none. */
  draft?: SettingsDraft | undefined;
  /** Called with the reader's unsaved changes whenever they change, and with `undefined` once they are saved or discarded. */
  onDraftChange?: (draft: SettingsDraft | undefined) => void;
}

/** Said when the reader saves with text typed in "Add a source or path prefix" and not added: Save does not guess which it is. */
export const pendingSourceMessage = (value: string) =>
  `“${value}” is not added yet: press Prefer or Exclude to add it, or clear the box, then save.`;

/** Said when the panel opens with changes made from settings that were saved since in another tab. */
export const REBASED_DRAFT_NOTICE =
  'Your settings were saved in another tab after you made these changes. Your changes are shown on top of what was saved there: save to keep them, or discard them.';

/**
 * Said when Save was refused because the settings were saved in another tab after the panel read
 * them (409 `settings_changed`): the reader's changes are shown on top of those.
 */
export const SAVED_ELSEWHERE_MESSAGE =
  'your settings were saved in another tab after you opened them here. Your changes are now shown on top of what was saved there: save again to keep them, or discard them to keep what the other tab saved.';

export function SettingsPanel({ api, onDone, draft, onDraftChange }: SettingsPanelProps) {
  const [settings, setSettings] = useState<RetrievalSettings>();
  /** The settings as the server has them. */
  const [saved, setSaved] = useState<RetrievalSettings>();
  const [options, setOptions] = useState<SourceOption[]>([]);
  const [loadError, setLoadError] = useState<string>();
  const [status, setStatus] = useState<{ kind: 'idle' | 'saving' | 'saved' } | { kind: 'error' | 'pending'; message: string }>({ kind: 'idle' });
  const [custom, setCustom] = useState(draft?.pending ?? '');
  /** The draft was made from settings saved since in another tab, and applied to those. */
  const [rebased, setRebased] = useState(false);
  /** Bumped by "Try again" after a failed load, to load once more. */
  const [loads, setLoads] = useState(0);
  const [retrying, setRetrying] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const backRef = useRef<HTMLButtonElement>(null);
  const customRef = useRef<HTMLInputElement>(null);
  // The draft the panel opened with; later drafts are the panel's own state.
  const initialDraft = useRef(draft);
  const ids = { enabled: useId(), enabledHint: useId(), max: useId(), min: useId(), minHint: useId(), custom: useId(), pending: useId() };

  useEffect(() => {
    let live = true;
    Promise.all([api.getSettings(), api.getSources().catch(() => [] as SourceOption[])])
      .then(([s, o]) => {
        if (!live) return;
        setLoadError(undefined);
        setSaved(s);
        const kept = initialDraft.current;
        if (!kept) setSettings(s);
        else if (sameSettings(kept.base, s)) setSettings({ ...kept.settings, unmatched: s.unmatched });
        else {
          // Saved meanwhile in another tab: the reader's changes go on top of what is saved now.
          const next = rebaseDraft(kept, s);
          setSettings(next);
          const changed = !sameSettings(next, s);
          setRebased(changed);
          onDraftChange?.(changed || kept.pending.trim() ? { base: s, settings: next, pending: kept.pending } : undefined);
        }
        setOptions(o);
      })
      .catch((error: unknown) => live && setLoadError(describeError(error, api.base)))
      .finally(() => live && setRetrying(false));
    return () => {
      live = false;
    };
    // onDraftChange is read once, with the settings loaded.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, loads]);

  // Loaded after "Try again", which had the focus and is gone: the focus goes to the form's first field.
  const loaded = settings !== undefined;
  useEffect(() => {
    if (loaded && loads > 0) formRef.current?.querySelector<HTMLElement>('input, select, textarea, button')?.focus();
  }, [loaded, loads]);

  if (loadError) {
    // The error stays up while it loads again, so "Try again" keeps the keyboard focus.
    return (
      <div className="dc-view-body">
        <p className="dc-inline-error" role="alert">
          Could not load your settings: {loadError}
        </p>
        <button
          type="button"
          className="dc-button dc-button-small"
          aria-disabled={retrying}
          onClick={() => {
            if (retrying) return;
            setRetrying(true);
            setLoads((n) => n + 1);
          }}
        >
          {retrying ? 'Trying again…' : 'Try again'}
        </button>
      </div>
    );
  }
  if (!settings || !saved) {
    return (
      <LiveStatus className="dc-view-body dc-muted">Loading settings…</LiveStatus>
    );
  }

  const unsaved = !sameSettings(settings, saved) || custom.trim() !== '';
  /** Tells the owner what is not saved: `next` settings and `pending` text typed and not added. */
  const report = (next: RetrievalSettings, pending: string) =>
    onDraftChange?.(sameSettings(next, saved) && !pending.trim() ? undefined : { base: saved, settings: next, pending });
  const update = (patch: Partial<RetrievalSettings>, pending = custom) => {
    const next = { ...settings, ...patch };
    setSettings(next);
    setStatus({ kind: 'idle' });
    report(next, pending);
  };
  const discard = () => {
    setSettings(saved);
    setCustom('');
    setRebased(false);
    setStatus({ kind: 'idle' });
    onDraftChange?.(undefined);
    // "Discard changes" goes with the changes: the focus goes to the button next to it.
    backRef.current?.focus();
  };
  const choiceOf = (value: string): Choice =>
    settings.excludedSources.includes(value) ? 'exclude' : settings.preferredSources.includes(value) ? 'prefer' : 'any';
  const choose = (value: string, choice: Choice, pending = custom) => {
    const without = (list: string[]) => list.filter((v) => v !== value);
    update(
      {
        preferredSources: choice === 'prefer' ? [...without(settings.preferredSources), value] : without(settings.preferredSources),
        excludedSources: choice === 'exclude' ? [...without(settings.excludedSources), value] : without(settings.excludedSources),
      },
      pending,
    );
  };
  const addCustom = (choice: 'prefer' | 'exclude') => {
    choose(custom.trim(), choice, '');
    setCustom('');
  };
  const chosen = new Set([...settings.preferredSources, ...settings.excludedSources]);
  const unmatched = (settings.unmatched ?? []).filter((entry) => chosen.has(entry));
  const listed = new Set(options.map((o) => o.value));
  const rows: SourceOption[] = [
    ...options,
    ...[...settings.preferredSources, ...settings.excludedSources]
      .filter((v, i, all) => !listed.has(v) && all.indexOf(v) === i)
      .map((value): SourceOption => ({ value, label: value, kind: 'folder' })),
  ];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    // Pressed again while saving (a slow network): one save is on its way.
    if (status.kind === 'saving') return;
    // Typed and not added (Enter in the box submits the form too): saving would drop it, and
    // whether it is to be preferred or excluded is the reader's to say.
    if (custom.trim()) {
      setStatus({ kind: 'pending', message: pendingSourceMessage(custom.trim()) });
      customRef.current?.focus();
      return;
    }
    setStatus({ kind: 'saving' });
    try {
      // Over the version the panel shows as saved: never over a save made since in another tab.
      const stored = await api.putSettings({ ...settings, version: saved.version });
      setSaved(stored);
      setSettings(stored);
      setRebased(false);
      onDraftChange?.(undefined);
      setStatus({ kind: 'saved' });
    } catch (error) {
      if (!(error instanceof ApiRequestError && error.code === 'settings_changed')) {
        setStatus({ kind: 'error', message: describeError(error, api.base) });
        return;
      }
      // Saved meanwhile in another tab: the reader's changes go on top of what is saved now, to save again or discard.
      try {
        const current = await api.getSettings();
        const next = rebaseDraft({ base: saved, settings, pending: '' }, current);
        setSaved(current);
        setSettings(next);
        setRebased(false);
        onDraftChange?.(sameSettings(next, current) ? undefined : { base: current, settings: next, pending: '' });
        setStatus({ kind: 'error', message: SAVED_ELSEWHERE_MESSAGE });
      } catch (reload) {
        setStatus({ kind: 'error', message: describeError(reload, api.base) });
      }
    }
  };

  return (
    <form ref={formRef} className="dc-view-body dc-settings" onSubmit={submit} aria-label="Retrieval settings">
      {rebased && (
        <p className="dc-inline-error dc-notice" role="alert">
          {REBASED_DRAFT_NOTICE}
        </p>
      )}
      <div className="dc-field dc-switch-field">
        {/* The switch is named "Search the docs" (its state is said as on/off); the help text is
            its description, not part of its name. */}
        <input
          id={ids.enabled}
          type="checkbox"
          role="switch"
          checked={settings.enabled}
          aria-describedby={ids.enabledHint}
          onChange={(e) => update({ enabled: e.target.checked })}
        />
        <div>
          <label htmlFor={ids.enabled}>
            <strong>Search the docs</strong>
          </label>
          <span id={ids.enabledHint} className="dc-hint">
            Off: answers come without documents, and say so.
          </span>
        </div>
      </div>

      <fieldset className="dc-fieldset" disabled={!settings.enabled}>
        <div className="dc-field">
          <label htmlFor={ids.max}>
            Maximum sources <output className="dc-value">{settings.maxResults}</output>
          </label>
          <input
            id={ids.max}
            type="range"
            min={1}
            max={20}
            step={1}
            value={settings.maxResults}
            onChange={(e) => update({ maxResults: Number(e.target.value) })}
          />
        </div>
        <div className="dc-field">
          <label htmlFor={ids.min}>
            Minimum score <output className="dc-value">{settings.minScore.toFixed(2)}</output>
          </label>
          <input
            id={ids.min}
            type="range"
            min={0}
            max={1}
            step={0.05}
            value={settings.minScore}
            aria-describedby={ids.minHint}
            onChange={(e) => update({ minScore: Number(e.target.value) })}
          />
          <span id={ids.minHint} className="dc-hint">
            Sources scoring below this (0–1) are not used.
          </span>
        </div>

        <div className="dc-field">
          <span className="dc-label">Sources</span>
          <span className="dc-hint">Prefer boosts a source; exclude never uses it. Names or path prefixes (<code>api/</code>).</span>
          {rows.length > 0 && (
            <ul className="dc-source-choices">
              {rows.map((option) => (
                <li key={option.value}>
                  <span className="dc-choice-label" title={option.value}>
                    {option.label}
                    {option.documents !== undefined && <span className="dc-muted"> · {option.documents} pages</span>}
                    {unmatched.includes(option.value) && <span className="dc-unmatched"> · matches no page</span>}
                  </span>
                  <span className="dc-segmented" role="radiogroup" aria-label={`Use of ${option.label}`}>
                    {(['any', 'prefer', 'exclude'] as const).map((choice) => (
                      <label key={choice} data-choice={choice}>
                        <input
                          type="radio"
                          name={`choice-${option.value}`}
                          value={choice}
                          checked={choiceOf(option.value) === choice}
                          onChange={() => choose(option.value, choice)}
                        />
                        <span>{choice === 'any' ? 'Normal' : choice === 'prefer' ? 'Prefer' : 'Exclude'}</span>
                      </label>
                    ))}
                  </span>
                </li>
              ))}
            </ul>
          )}
          <LiveStatus as="p" className="dc-hint dc-unmatched-note">
            {unmatched.length > 0 && (
              <>
                No indexed page matches {unmatched.map((entry, i) => (
                  <Fragment key={entry}>
                    {i > 0 && ', '}
                    <code>{entry}</code>
                  </Fragment>
                ))}
                : check the spelling. {unmatched.length > 1 ? 'They are' : 'It is'} kept, and will apply once such pages are indexed.
              </>
            )}
          </LiveStatus>
          <div className="dc-custom-source">
            <label htmlFor={ids.custom} className="dc-sr-only">
              Source name or path prefix
            </label>
            <input
              ref={customRef}
              id={ids.custom}
              type="text"
              placeholder="Add a source or path prefix"
              value={custom}
              maxLength={300}
              aria-invalid={status.kind === 'pending' || undefined}
              aria-describedby={status.kind === 'pending' ? ids.pending : undefined}
              onChange={(e) => {
                setCustom(e.target.value);
                if (status.kind === 'pending' || status.kind === 'saved') setStatus({ kind: 'idle' });
                report(settings, e.target.value);
              }}
            />
            <button type="button" className="dc-button dc-button-small" disabled={!custom.trim()} onClick={() => addCustom('exclude')}>
              Exclude
            </button>
            <button type="button" className="dc-button dc-button-small" disabled={!custom.trim()} onClick={() => addCustom('prefer')}>
              Prefer
            </button>
          </div>
        </div>
      </fieldset>

      <div className="dc-form-actions">
        <span className="dc-feedback-status" role="status" aria-live="polite">
          {status.kind === 'saving' && 'Saving…'}
          {status.kind === 'saved' && 'Saved. Applies to your next question.'}
          {status.kind === 'idle' && unsaved && 'Changes not saved yet.'}
        </span>
        {unsaved && status.kind !== 'saving' && (
          <button type="button" className="dc-button" onClick={discard}>
            Discard changes
          </button>
        )}
        <button ref={backRef} type="button" className="dc-button" onClick={onDone}>
          Back to chat
        </button>
        {/* aria-disabled, not disabled: a disabled button would drop the keyboard focus to <body> while saving. */}
        <button type="submit" className="dc-button dc-button-primary" aria-disabled={status.kind === 'saving'}>
          Save settings
        </button>
      </div>
      {status.kind === 'error' && (
        <p className="dc-inline-error" role="alert">
          Not saved: {status.message}
        </p>
      )}
      {status.kind === 'pending' && (
        <p id={ids.pending} className="dc-inline-error" role="alert">
          Not saved: {status.message}
        </p>
      )}
    </form>
  );
}
