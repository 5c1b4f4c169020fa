/** Loading data for a screen: one read, or a list read page by page through its cursor. */
import { useCallback, useEffect, useState } from 'react';
import type { Page } from './api.js';
import { useApp } from './app-context.js';
import type { HistoryEntry } from './components/ui.js';

export interface Resource<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): void;
}

/**
 * One read, redone whenever `deps` change or reload() is called. The answer remembers which
 * deps it belongs to, so an answer to an older request never shows as the current one, and the
 * previous data stays on screen while the next loads.
 */
export function useResource<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[]): Resource<T> {
  const [generation, setGeneration] = useState(0);
  const key = JSON.stringify([...deps, generation]);
  const [result, setResult] = useState<{ key: string; data?: T; error?: unknown }>();
  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal).then(
      (data) => !controller.signal.aborted && setResult({ key, data }),
      (error: unknown) => !controller.signal.aborted && setResult({ key, error }),
    );
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` stands for the caller's deps
  }, [key]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data: result?.data, error: result?.key === key ? result.error : undefined, loading: result?.key !== key, reload };
}

export interface PagedList<T> {
  items: T[];
  error: unknown;
  loading: boolean;
  hasMore: boolean;
  loadMore(): void;
  reload(): void;
}

interface PagedState<T> {
  key: string;
  items: T[];
  nextCursor: string | null;
  error?: unknown;
}

/** A list read: `load(cursor)` gives one page; "load more" appends the next. Changing deps starts over. */
export function usePaged<T>(load: (cursor: string | undefined, signal: AbortSignal) => Promise<Page<T>>, deps: readonly unknown[]): PagedList<T> {
  const [generation, setGeneration] = useState(0);
  const key = JSON.stringify([...deps, generation]);
  const [state, setState] = useState<PagedState<T>>();
  const [loadingMore, setLoadingMore] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    load(undefined, controller.signal).then(
      (page) => !controller.signal.aborted && setState({ key, items: page.items, nextCursor: page.nextCursor }),
      (error: unknown) => !controller.signal.aborted && setState({ key, items: [], nextCursor: null, error }),
    );
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` stands for the caller's deps
  }, [key]);

  const current = state?.key === key ? state : undefined;
  const loadMore = () => {
    if (!current?.nextCursor || loadingMore) return;
    setLoadingMore(true);
    load(current.nextCursor, new AbortController().signal).then(
      (page) => setState((s) => (s && s.key === key ? { key, items: [...s.items, ...page.items], nextCursor: page.nextCursor } : s)),
      (error: unknown) => setState((s) => (s && s.key === key ? { ...s, error } : s)),
    ).finally(() => setLoadingMore(false));
  };

  return {
    items: state?.items ?? [],
    error: current?.error,
    loading: !current || loadingMore,
    hasMore: typeof current?.nextCursor === 'string',
    loadMore,
    reload: () => setGeneration((g) => g + 1),
  };
}

/**
 * A record (GET `path`) and its change history (GET `path`/history, R-INFO-3), read again whenever
 * the record's version moves; no history request for roles that may not read it.
 */
export function useRecordWithHistory<T extends { version: number }>(path: string, historyOperationId: string): [Resource<T>, Resource<Page<HistoryEntry> | undefined>] {
  const { api, can } = useApp();
  const record = useResource((signal) => api.get<T>(path, { signal }), [path]);
  const history = useResource(
    (signal) => (can(historyOperationId) ? api.get<Page<HistoryEntry>>(`${path}/history?limit=100`, { signal }) : Promise.resolve(undefined)),
    [path, record.data?.version],
  );
  return [record, history];
}
