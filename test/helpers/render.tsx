import { render } from 'ink-testing-library';
import type { ReactElement } from 'react';

// ink-testing-library 4's fake stdout reports a fixed 100 columns (a prototype getter), no rows
// and no isTTY. Components here size themselves from the terminal, so every component test
// renders through this wrapper: it gives the fake terminal an exact size, as a SIGWINCH would.

export interface RenderFixedOptions {
  columns?: number;
  rows?: number;
}

type Rendered = ReturnType<typeof render>;

export interface RenderFixedResult {
  lastFrame: () => string | undefined;
  frames: string[];
  stdin: Rendered['stdin'];
  stdout: Rendered['stdout'];
  rerender: (element: ReactElement) => void;
  unmount: () => void;
  /** Same as the exported `flush`. */
  flush: () => Promise<void>;
  /** Changes the fake terminal size and tells Ink and the app, as a SIGWINCH would. */
  resize: (columns: number, rows: number) => void;
}

function setSize(stdout: Rendered['stdout'], columns: number, rows: number): void {
  // Own properties shadow the library's prototype getter.
  Object.defineProperty(stdout, 'columns', { value: columns, configurable: true, writable: true });
  Object.defineProperty(stdout, 'rows', { value: rows, configurable: true, writable: true });
  Object.defineProperty(stdout, 'isTTY', { value: true, configurable: true, writable: true });
  stdout.emit('resize');
}

/** Renders `element` into a fake terminal of exactly `columns` × `rows` cells. */
export function renderFixed(
  element: ReactElement,
  { columns = 80, rows = 24 }: RenderFixedOptions = {},
): RenderFixedResult {
  const rendered = render(element);
  setSize(rendered.stdout, columns, rows);
  return {
    lastFrame: rendered.lastFrame,
    frames: rendered.frames,
    stdin: rendered.stdin,
    stdout: rendered.stdout,
    rerender: rendered.rerender,
    unmount: () => {
      rendered.unmount();
      rendered.cleanup();
    },
    flush: () => flush(),
    resize: (newColumns, newRows) => setSize(rendered.stdout, newColumns, newRows),
  };
}

/** Lets React 19 commit scheduled work (effects, state updates) before asserting on frames. */
export async function flush(times = 3): Promise<void> {
  for (let i = 0; i < times; i++) {
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
