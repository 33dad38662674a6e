#!/usr/bin/env bash
# Regenerates the README's pictures from a real run against the lab swarm (npm run lab -- up).
# Needs tmux, rsvg-convert (librsvg2-bin) and the DejaVu fonts.
set -euo pipefail
cd "$(dirname "$0")/.."
LAB_ENV_FILE=${SMARM_LAB_PARENT:-/tmp/smarm-lab}/current.env
[ -f "$LAB_ENV_FILE" ] || { echo "no lab swarm is up: run npm run lab -- up first" >&2; exit 1; }
set -a; . "$LAB_ENV_FILE"; set +a
node scripts/build.mjs
shot() { npx tsx scripts/screenshot.ts --title smarm-top --wait-for crashy "$@"; }
shot --out media/services --columns 110 --rows 30 --keys j --keys j -- node dist/cli.js
shot --out media/problems --columns 110 --rows 30 --keys 5 -- node dist/cli.js
shot --out media/events --columns 110 --rows 30 --keys 6 -- node dist/cli.js
shot --out media/node-inspect --columns 110 --rows 30 --keys 2 --keys i --delay 1500 -- node dist/cli.js
shot --out media/tasks --columns 110 --rows 30 --keys / --keys crashy --keys Enter --keys Enter -- node dist/cli.js
shot --out media/nodes --columns 110 --rows 30 --keys 2 -- node dist/cli.js
shot --out media/80x24 --columns 80 --rows 24 -- node dist/cli.js
shot --out media/logs --columns 110 --rows 30 --keys / --keys logger --keys Enter --keys l --delay 3000 -- node dist/cli.js
# a dialog is only opened and shown: nothing is confirmed
shot --out media/rollback-dialog --columns 110 --rows 30 --keys / --keys api --keys Enter --keys R -- node dist/cli.js
shot --out media/drain-dialog --columns 110 --rows 30 --keys 2 --keys / --keys worker-1 --keys Enter --keys D -- node dist/cli.js
# a task no node can take (a label no node has, a drained worker), explained with e
dk() { docker -H "$DOCKER_HOST" "$@"; }
dk service create -d --quiet --no-resolve-image --name report-gpu --constraint node.labels.gpu==true \
  lab/busybox:1 sleep 100000 >/dev/null
dk node update --availability drain worker-2 >/dev/null
sleep 40 # the problems view calls a task stuck after 30 s of waiting
shot --out media/explain --columns 110 --rows 30 --keys 5 --keys / --keys pending --keys Enter --keys e --delay 2500 -- node dist/cli.js
dk node update --availability active worker-2 >/dev/null
dk service rm report-gpu >/dev/null
# a replay (docs/recording.md): half a minute recorded while web is scaled and worker-1 drained,
# shown 2 s after the drain on the nodes view
rec=$(mktemp -d)
node dist/cli.js record --dir "$rec/rec" 2>/dev/null &
recorder=$!
sleep 8
replicas=$(dk service inspect web --format '{{.Spec.Mode.Replicated.Replicas}}')
dk service scale --detach web=$((replicas + 1)) >/dev/null
sleep 8
dk node update --availability drain worker-1 >/dev/null
at=$(date -u -d "@$(($(date +%s) + 2))" +%Y-%m-%dT%H:%M:%SZ)
sleep 12
dk node update --availability active worker-1 >/dev/null
dk service scale --detach web="$replicas" >/dev/null
sleep 5
kill -TERM "$recorder"
wait "$recorder" || true
npx tsx scripts/screenshot.ts --title smarm-top --wait-for REPLAY --out media/replay --columns 110 \
  --rows 30 --keys 2 --delay 1500 -- node dist/cli.js --replay "$rec/rec" --at "$at"
rm -rf "$rec"
rm -f media/*.txt
