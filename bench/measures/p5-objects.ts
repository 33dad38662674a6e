// P5 objects (issue 13): what the networks, secrets/configs and swarm views cost the engine. The
// same app idles on the services view, then on each of those views; for each window, requests per
// minute in all and for the lists only those views need (networks, secrets, configs, swarm). The
// target: those lists are not polled while no view shows them (the swarm object excepted: the
// problems it feeds are read every 30 refreshes).

import { withApp } from '../lib/app.js';
import { cpuWindow } from '../lib/cpu-window.js';
import type { Target } from '../lib/engines.js';
import { REFRESH_SECONDS } from '../lib/env.js';
import { log, sleep } from '../lib/harness.js';
import { yes, type Row } from '../lib/table.js';

const STEPS = [
  { view: 'services (no object view open)', key: null },
  { view: 'networks (8)', key: '8' },
  { view: 'secrets and configs (9)', key: '9' },
  { view: 'the swarm (0)', key: '0' },
] as const;

const OBJECT_PATH = /^GET \/(networks|secrets|configs|swarm)\b/;

export interface ObjectsWindow {
  view: string;
  seconds: number;
  requestsPerMinute: number;
  objectRequestsPerMinute: number;
  objectPaths: Record<string, number>;
}

export async function measureObjects(target: Target, seconds: number): Promise<ObjectsWindow[]> {
  const fake = target.fake!;
  return withApp(target, {}, async ({ tmux, pid }) => {
    await sleep(5000);
    const windows: ObjectsWindow[] = [];
    for (const step of STEPS) {
      if (step.key !== null) {
        await tmux.sendAsync(step.key);
        // The view's first loads are not idle traffic.
        await sleep(3000);
      }
      log(`P5 objects: ${step.view} idle for ${seconds} s`);
      const window = await cpuWindow(pid, fake, seconds);
      const objectPaths: Record<string, number> = {};
      for (const [path, stats] of Object.entries(window.byPath)) {
        if (OBJECT_PATH.test(path)) objectPaths[path] = stats.requests;
      }
      const objectRequests = Object.values(objectPaths).reduce((sum, n) => sum + n, 0);
      windows.push({
        view: step.view,
        seconds: window.seconds,
        requestsPerMinute: window.requestsPerMinute,
        objectRequestsPerMinute: (objectRequests * 60) / window.seconds,
        objectPaths,
      });
    }
    return windows;
  });
}

export function objectsRows(windows: ObjectsWindow[]): Row[] {
  return windows.map((w, index) => {
    const paths = Object.entries(w.objectPaths)
      .map(([path, n]) => `${path.replace(/^GET /, '')} ×${n}`)
      .join(', ');
    // Idle on a view that shows none of these lists, only the swarm object's slow read remains:
    // one per 30 refreshes.
    const allowed = index === 0 ? 60 / (30 * REFRESH_SECONDS) + 1 : Infinity;
    return {
      id: 'P5',
      what: `idle on ${w.view}, per minute`,
      wall: '',
      cpu: '',
      detail: `${Math.round(w.requestsPerMinute)} requests, ${w.objectRequestsPerMinute.toFixed(1)} for networks/secrets/configs/swarm${paths ? ` (${paths})` : ''}`,
      target: index === 0 ? 'object lists not polled' : '',
      met: index === 0 ? yes(w.objectRequestsPerMinute <= allowed) : '',
    };
  });
}
