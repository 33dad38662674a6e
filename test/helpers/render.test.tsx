import { Text, useStdout } from 'ink';
import { useTerminalSize } from '../../source/hooks/use-terminal-size.js';
import type { ReactElement } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { flush, renderFixed, type RenderFixedResult } from './render.js';

// Reads the size the way the app does: through the hook that follows resizes.
function Size(): ReactElement {
  const { stdout } = useStdout();
  const { columns, rows } = useTerminalSize();
  return <Text>{`${columns}x${rows} tty=${String(stdout.isTTY)}`}</Text>;
}

const mounted: RenderFixedResult[] = [];
afterEach(() => {
  for (const r of mounted.splice(0)) r.unmount();
});

describe('renderFixed', () => {
  it('gives the component a terminal of the requested size', async () => {
    const r = renderFixed(<Size />, { columns: 120, rows: 40 });
    mounted.push(r);
    await flush();
    expect(r.lastFrame()).toBe('120x40 tty=true');
  });

  it('defaults to 80 × 24', async () => {
    const r = renderFixed(<Size />);
    mounted.push(r);
    await r.flush();
    expect(r.lastFrame()).toBe('80x24 tty=true');
  });

  it('lays out to the fake width', async () => {
    const r = renderFixed(<Text>{'x'.repeat(25)}</Text>, { columns: 10 });
    mounted.push(r);
    await flush();
    expect(r.lastFrame()?.split('\n')).toEqual(['xxxxxxxxxx', 'xxxxxxxxxx', 'xxxxx']);
  });

  it('records every frame and rerenders', async () => {
    const r = renderFixed(<Text>one</Text>);
    mounted.push(r);
    await flush();
    r.rerender(<Text>two</Text>);
    await flush();
    expect(r.frames).toContain('one');
    expect(r.lastFrame()).toBe('two');
  });
});
