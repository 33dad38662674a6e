// What the logs view shows and how: the target, follow or paused, the toggles, the range of
// history asked for. The lines themselves live in a LogBuffer outside the reducer (they arrive
// far faster than React should render).
export interface LogRange {
  label: string;
  tail?: number;
  sinceSeconds?: number;
}

/** `r` cycles through these; the first is the default. */
export const LOG_RANGES: readonly LogRange[] = [
  { label: 'tail 200', tail: 200 },
  { label: 'tail 1000', tail: 1000 },
  { label: 'since 1m', sinceSeconds: 60 },
  { label: 'since 15m', sinceSeconds: 15 * 60 },
  { label: 'since 1h', sinceSeconds: 60 * 60 },
  { label: 'all' },
];

export interface LogTarget {
  kind: 'service' | 'task';
  id: string;
  /** The service the lines belong to (for a task: its service). */
  serviceId: string;
  /** "web" or "web.2" */
  name: string;
  tty: boolean;
}

export interface LogViewState {
  target: LogTarget;
  follow: boolean;
  /** Entries the buffer had received when the view paused: what arrived since is counted. */
  pausedAt: number | null;
  /** Lines scrolled up by the user while paused (on top of lines that arrived since). */
  scroll: number;
  timestamps: boolean;
  wrap: boolean;
  range: number;
  /** Bumped to ask for the buffer to be written to a file. */
}

export function openLogView(target: LogTarget): LogViewState {
  return {
    target,
    follow: true,
    pausedAt: null,
    scroll: 0,
    timestamps: false,
    wrap: false,
    range: 0,
  };
}

/** Following, or paused at `total` entries received (the view then holds still). */
export function setFollow(view: LogViewState, follow: boolean, total: number): LogViewState {
  if (follow) return { ...view, follow: true, pausedAt: null, scroll: 0 };
  return view.follow ? { ...view, follow: false, pausedAt: total, scroll: 0 } : view;
}

/** Scrolling up pauses; scrolling back down to the newest line follows again. */
export function scrollLogs(
  view: LogViewState,
  delta: number | 'top' | 'bottom',
  total: number,
): LogViewState {
  if (delta === 'bottom') return setFollow(view, true, total);
  const paused = setFollow(view, false, total);
  if (delta === 'top') return { ...paused, scroll: Math.max(0, total) };
  const scroll = Math.max(0, paused.scroll - delta);
  if (scroll === 0 && delta > 0 && paused.pausedAt === total) return setFollow(view, true, total);
  return { ...paused, scroll };
}

/** Entries between the bottom of the view and the newest line. */
export function logOffset(view: LogViewState, total: number): number {
  if (view.follow || view.pausedAt === null) return 0;
  return Math.max(0, total - view.pausedAt) + view.scroll;
}
