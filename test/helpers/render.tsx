import { EventEmitter } from 'node:events';
import { render, type Instance } from 'ink';
import type { ReactElement } from 'react';

// ink-testing-library 4 builds its fake stdout with `columns` hard-wired to 100 and no `rows` or
// `isTTY`, and does not export the class. Components here size themselves from the terminal, so
// we drive Ink with our own fakes (same render options as the library: debug mode writes every
// frame synchronously, which is what makes `frames` meaningful).

class FakeStdout extends EventEmitter {
  readonly isTTY = true;
  readonly frames: string[] = [];
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  write = (frame: string): boolean => {
    this.frames.push(frame);
    return true;
  };
  lastFrame = (): string | undefined => this.frames[this.frames.length - 1];
}

class FakeStderr extends EventEmitter {
  readonly frames: string[] = [];
  write = (frame: string): boolean => {
    this.frames.push(frame);
    return true;
  };
}

class FakeStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write = (data: string): void => {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  };
  read = (): string | null => {
    const { data } = this;
    this.data = null;
    return data;
  };
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

export interface RenderFixedOptions {
  columns?: number;
  rows?: number;
}

export interface RenderFixedResult {
  lastFrame: () => string | undefined;
  frames: string[];
  stdin: FakeStdin;
  stdout: FakeStdout;
  rerender: (element: ReactElement) => void;
  unmount: () => void;
  /** Same as the exported `flush`. */
  flush: () => Promise<void>;
  /** Changes the fake terminal size and tells Ink, as a SIGWINCH would. */
  resize: (columns: number, rows: number) => void;
}

/** Renders `element` into a fake terminal of exactly `columns` × `rows` cells. */
export function renderFixed(
  element: ReactElement,
  { columns = 80, rows = 24 }: RenderFixedOptions = {},
): RenderFixedResult {
  const stdout = new FakeStdout(columns, rows);
  const stderr = new FakeStderr();
  const stdin = new FakeStdin();
  const instance: Instance = render(element, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  return {
    lastFrame: stdout.lastFrame,
    frames: stdout.frames,
    stdin,
    stdout,
    rerender: instance.rerender,
    unmount: () => {
      instance.unmount();
      instance.cleanup();
    },
    flush: () => flush(),
    resize: (newColumns, newRows) => {
      stdout.columns = newColumns;
      stdout.rows = newRows;
      stdout.emit('resize');
    },
  };
}

/** Lets React 19 commit scheduled work (effects, state updates) before asserting on frames. */
export async function flush(times = 3): Promise<void> {
  for (let i = 0; i < times; i++) {
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
