import { Text } from 'ink';
import { useReducer, useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { useEffects } from '../../source/hooks/use-effects.js';
import type { Action } from '../../source/state/actions.js';
import { emit, taken, type Effect } from '../../source/state/effects.js';
import { renderFixed, type RenderFixedResult } from '../helpers/render.js';

type Box = { outbox: Effect[]; effectSeq: number; renders: number };

function reduce(state: Box, action: Action | { type: 'ask' } | { type: 'render' }): Box {
  if (action.type === 'ask') return emit(state, { kind: 'quit' });
  if (action.type === 'render') return { ...state, renders: state.renders + 1 };
  if (action.type === 'effects-taken') return taken(state, action.through);
  return state;
}

const mounted: RenderFixedResult[] = [];
afterEach(() => {
  for (const r of mounted.splice(0)) r.unmount();
});

describe('useEffects', () => {
  it('runs each effect once, however often the component renders, and empties the outbox', async () => {
    const ran: number[] = [];
    let send: (action: { type: 'ask' } | { type: 'render' }) => void = () => {};
    function Probe() {
      const [state, dispatch] = useReducer(reduce, { outbox: [], effectSeq: 0, renders: 0 });
      const [, setTick] = useState(0);
      send = (action) => {
        dispatch(action);
        setTick((n) => n + 1);
      };
      // A new `run` every render: an effect must still run once.
      useEffects({ outbox: state.outbox, dispatch, run: (effect) => ran.push(effect.id) });
      return <Text>{`outbox ${state.outbox.length}`}</Text>;
    }
    const r = renderFixed(<Probe />, { columns: 40, rows: 3 });
    mounted.push(r);
    await r.flush();
    send({ type: 'ask' });
    send({ type: 'ask' });
    await r.flush();
    for (let i = 0; i < 5; i++) send({ type: 'render' });
    await r.flush();
    send({ type: 'ask' });
    await r.flush();
    await r.flush();
    expect(ran).toEqual([1, 2, 3]);
    expect(r.lastFrame()).toBe('outbox 0');
  });

  it('an effect that throws is said in one sentence and does not stop the ones after it', async () => {
    const ran: number[] = [];
    const said: string[] = [];
    let ask: () => void = () => {};
    function Probe() {
      const [state, dispatch] = useReducer(reduce, { outbox: [], effectSeq: 0, renders: 0 });
      ask = () => {
        dispatch({ type: 'ask' });
        dispatch({ type: 'ask' });
      };
      useEffects({
        outbox: state.outbox,
        dispatch: (action) => {
          if (action.type === 'say') said.push(action.message);
          dispatch(action);
        },
        run: (effect) => {
          if (effect.id === 1) throw new Error('the terminal is gone');
          ran.push(effect.id);
        },
      });
      return <Text>{`outbox ${state.outbox.length}`}</Text>;
    }
    const r = renderFixed(<Probe />, { columns: 40, rows: 3 });
    mounted.push(r);
    await r.flush();
    ask();
    await r.flush();
    await r.flush();
    expect(ran).toEqual([2]);
    expect(said).toEqual(['Could not quit: the terminal is gone']);
  });
});
