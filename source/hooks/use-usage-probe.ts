// The usage view's probe (issue 15) as React sees it: asks on entering the view (once per
// session), starts it again after a `y`, removes it when the view is left (the services list,
// which shows its sums per service, keeps it), follows its lines while it runs, and removes
// expired probes of smarm-top's label at start.
import { useEffect } from 'react';
import type { SwarmReads } from '../docker/swarm-api.js';
import { followProbe } from '../live/usage-probe.js';
import { expiredProbes } from '../operations/kinds/probe.js';
import type { Action } from '../state/actions.js';
import type { State } from '../state/state.js';
import { probeConsented, probePhase, probeStartRequest, probeStopRequest } from '../state/usage.js';

export interface UsageProbeOptions {
  api: SwarmReads;
  state: State;
  dispatch: (action: Action) => void;
}

export function useUsageProbe({ api, state, dispatch }: UsageProbeOptions): void {
  const { usage, ops, view, readOnly } = state;
  const phase = probePhase(usage, ops);
  const inView = view === 'usage';
  // the services list shows the probe's sums per service: it keeps the probe too
  const kept = inView || view === 'services';
  const consented = probeConsented(usage, ops);

  useEffect(() => {
    if (inView && phase === 'off') {
      if (consented) dispatch({ type: 'usage-op', request: probeStartRequest(usage) });
      else if (!usage.asked) dispatch({ type: 'usage-ask' });
    }
    if (!kept && phase === 'running') {
      dispatch({ type: 'usage-op', request: probeStopRequest(usage, 'left the usage view') });
    }
  }, [inView, kept, phase, consented, usage, dispatch]);

  // At start: probes whose lifetime has ended (a smarm-top killed) are removed, ours only.
  useEffect(() => {
    if (readOnly) return;
    let live = true;
    api.listServices().then(
      (services) => {
        if (!live) return;
        for (const probe of expiredProbes(services, Date.now())) {
          dispatch({
            type: 'usage-op',
            request: {
              kind: 'probe-stop',
              serviceId: probe.name,
              name: probe.name,
              why: 'expired',
            },
          });
        }
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [api, readOnly, dispatch]);

  const serviceId =
    phase === 'running'
      ? state.services.find((s) => s.name === probeStopRequest(usage, '').name)?.id
      : undefined;
  useEffect(() => {
    if (serviceId === undefined) return;
    const controller = new AbortController();
    void followProbe({
      api,
      serviceId,
      image: usage.image,
      signal: controller.signal,
      onLines: (lines, at) => dispatch({ type: 'usage-lines', lines, at }),
      onNodeErrors: (errors) => dispatch({ type: 'usage-node-errors', errors }),
    });
    return () => controller.abort();
  }, [api, serviceId, usage.image, dispatch]);
}
