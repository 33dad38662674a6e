#!/usr/bin/env bash
# The smarm-top lab: a real multi-node Docker Swarm on this machine, all on loopback.
# One dockerd per node, each in its own UTS namespace (its own hostname), its own folders and
# socket. See SWARM-LAB.md for the why of every step, above all the teardown order.
#
#   npm run lab -- up       tear down any earlier lab, start a fresh swarm with sample services
#   npm run lab -- down     tear everything down (idempotent) and check that nothing is left
#   npm run lab -- status   the env file, `docker node ls` and `docker service ls`
#   npm run lab -- env      the env file (KEY=VALUE lines, shell-sourceable)
#
# The env file $LAB_PARENT/current.env: KEY=VALUE lines, lists space-separated in double quotes.
# Knobs: SMARM_LAB_PARENT (/tmp/smarm-lab), LAB_MANAGERS (3), LAB_WORKERS (2), LAB_WAIT seconds for services to converge (90),
# LAB_NEW_ENGINE (1; 0 leaves out worker-new, the Docker 26.1 worker), LAB_CACHE (where the
# Debian 13 packages for worker-new are kept between labs).
set -euo pipefail

# every lab lives under here, nothing else does; SMARM_LAB_PARENT gives a second lab its own parent
# (a helper's lab beside CI's: each `up`/`down` touches only the labs under its own parent)
readonly LAB_PARENT=${SMARM_LAB_PARENT:-/tmp/smarm-lab}
readonly ENV_FILE=$LAB_PARENT/current.env
readonly LOCK_FILE=/tmp/smarm-lab.lock    # outside LAB_PARENT so that `rm -rf` never races it
readonly BUSYBOX_APPLETS='sh echo sleep date hostname cat printf seq head yes true false env ls'
LAB_MANAGERS=${LAB_MANAGERS:-3}
LAB_WORKERS=${LAB_WORKERS:-2}
LAB_WAIT=${LAB_WAIT:-90}
LAB_NEW_ENGINE=${LAB_NEW_ENGINE:-1}
# Outside LAB_PARENT: a teardown removes LAB_PARENT, and the 60 MB download is kept for the next lab.
LAB_CACHE=${LAB_CACHE:-/tmp/smarm-lab-cache}
readonly NEW_NODE=worker-new

# The lab's sockets are given with -H; a user's docker settings must not redirect the CLI.
unset DOCKER_HOST DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH

# The 20.10 CLI from docker.io matches the 20.10 daemons; any other docker CLI is a fallback.
if [ -x /usr/bin/docker ]; then DOCKER=/usr/bin/docker; else DOCKER=$(command -v docker || true); fi
DOCKERD=$(PATH=$PATH:/usr/sbin:/sbin command -v dockerd || true)

say() { printf 'lab: %s\n' "$*"; }
warn() { printf 'lab: %s\n' "$*" >&2; }
die() {
  printf 'lab: error: %s\n' "$*" >&2
  exit 1
}
# dk SOCKET ARGS...: the docker CLI against one node, bounded in time.
dk() {
  local sock=$1
  shift
  timeout "${DK_TIMEOUT:-60}" "$DOCKER" -H "unix://$sock" "$@"
}

# ---------------------------------------------------------------------------------------------
# Teardown (order from SWARM-LAB.md). Works on every lab under LAB_PARENT, from this session or
# an earlier one, whether its daemons still run or not. Best effort: it never stops half-way.

lab_dirs() { find "$LAB_PARENT" -mindepth 1 -maxdepth 1 -type d 2>/dev/null | sort; }
node_dirs() { find "$1" -mindepth 1 -maxdepth 1 -type d \( -name 'manager-*' -o -name 'worker-*' \) 2>/dev/null | sort; }

cmdline_of() { tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null || true; }

# The pid of the node's dockerd if it is alive and really that dockerd (pids get reused).
dockerd_pid() {
  local dir=$1 pid
  pid=$(cat "$dir/pid" 2>/dev/null || true)
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [ "$(cat "/proc/$pid/comm" 2>/dev/null || true)" = dockerd ] || return 1
  [[ "$(cmdline_of "$pid")" == *"$dir/"* ]] || return 1
  echo "$pid"
}

# Pids of processes that are lab leftovers: processes in a container cgroup of the lab (ids, one
# a line, in the file $1), and dockerd/containerd/shim/runc processes whose command line points
# into the lab folders. One grep over /proc each, not one process per pid.
leftover_pids() {
  local ids=$1 f comm
  {
    if [ -s "$ids" ]; then grep -lFf "$ids" /proc/[0-9]*/cgroup 2>/dev/null || true; fi
    for f in $(grep -laF "$LAB_PARENT/" /proc/[0-9]*/cmdline 2>/dev/null || true); do
      read -r comm <"${f%/cmdline}/comm" 2>/dev/null || continue
      case $comm in
        dockerd | containerd | containerd-shim* | runc | docker-proxy | docker-init) echo "$f" ;;
      esac
    done
  } | sed -E 's|^/proc/([0-9]+)/.*|\1|' | sort -un | { grep -vx -e "$$" || true; }
}

any_dockerd() { grep -qx dockerd /proc/[0-9]*/comm 2>/dev/null; }

lab_mounts() {
  # mount points (field 5 of mountinfo) under LAB_PARENT, deepest first
  awk -v pre="$LAB_PARENT/" 'index($5, pre) == 1 { print length($5), $5 }' /proc/self/mountinfo |
    sort -rn | cut -d' ' -f2-
}

# wait_gone SECONDS PID...: true once every pid has exited
wait_gone() {
  local deadline=$((SECONDS + $1)) p alive
  shift
  while :; do
    alive=0
    for p in "$@"; do [ -d "/proc/$p" ] && alive=1; done
    [ $alive = 0 ] && return 0
    [ $SECONDS -ge $deadline ] && return 1
    sleep 0.2
  done
}

teardown_all() {
  local - # `set +e` below stays inside this function
  set +e
  local lab dir sock pid p m ids pids=() stray=() tries labs
  labs=$(lab_dirs)
  if [ -z "$labs" ] && [ ! -e "$ENV_FILE" ] && [ -z "$(lab_mounts)" ] && [ -z "$(leftover_pids /dev/null)" ]; then
    [ -d "$LAB_PARENT" ] && rmdir "$LAB_PARENT" 2>/dev/null
    return 0
  fi
  rm -f "$ENV_FILE"

  # (1) remove the services on a manager, then every container on every node
  for lab in $labs; do
    say "tearing down $lab"
    for dir in $(node_dirs "$lab"); do
      sock=$dir/docker.sock
      dockerd_pid "$dir" >/dev/null || continue
      if [ "$(DK_TIMEOUT=10 dk "$sock" info --format '{{.Swarm.ControlAvailable}}' 2>/dev/null)" = true ]; then
        mapfile -t svcs < <(DK_TIMEOUT=15 dk "$sock" service ls -q 2>/dev/null)
        if [ ${#svcs[@]} -gt 0 ]; then
          say "  removing ${#svcs[@]} service(s) via ${dir##*/}"
          DK_TIMEOUT=30 dk "$sock" service rm "${svcs[@]}" >/dev/null 2>&1
        fi
        break
      fi
    done
    for dir in $(node_dirs "$lab"); do
      dockerd_pid "$dir" >/dev/null || continue
      (
        for tries in 1 2 3 4 5; do
          mapfile -t cs < <(DK_TIMEOUT=10 dk "$dir/docker.sock" ps -aq 2>/dev/null)
          [ ${#cs[@]} = 0 ] && break
          DK_TIMEOUT=60 dk "$dir/docker.sock" rm -f "${cs[@]}" >/dev/null 2>&1
          sleep 0.5
        done
      ) &
    done
    wait
  done

  # (2) SIGTERM every dockerd by its pidfile, wait (bounded), then SIGKILL
  for lab in $labs; do
    for dir in $(node_dirs "$lab"); do
      pid=$(dockerd_pid "$dir") && pids+=("$pid")
    done
  done
  if [ ${#pids[@]} -gt 0 ]; then
    local t=$SECONDS
    say "stopping ${#pids[@]} dockerd(s)"
    kill -TERM "${pids[@]}" 2>/dev/null
    if wait_gone 40 "${pids[@]}"; then
      say "  all exited after $((SECONDS - t)) s"
    else
      warn "some dockerd did not exit within 40 s: SIGKILL"
      kill -KILL "${pids[@]}" 2>/dev/null
      wait_gone 10 "${pids[@]}"
    fi
  fi

  # (3) end what is left: container processes (by cgroup) and containerd/shims (by command line)
  ids=$(mktemp)
  for lab in $labs; do
    for dir in $(node_dirs "$lab"); do
      find "$dir/data/containers" -mindepth 1 -maxdepth 1 -type d -regextype posix-extended \
        -regex '.*/[0-9a-f]{64}' -printf '%f\n' 2>/dev/null
    done
  done >"$ids"
  # shims name their container (-id <64 hex>): this finds containers even of a lab whose folders
  # are already gone
  for p in $(leftover_pids /dev/null); do
    tr '\0' '\n' <"/proc/$p/cmdline" 2>/dev/null | grep -A1 -x -- -id | grep -xE '[0-9a-f]{64}' || true
  done >>"$ids"
  for tries in 1 2 3; do
    mapfile -t stray < <(leftover_pids "$ids")
    [ ${#stray[@]} = 0 ] && break
    say "ending ${#stray[@]} leftover process(es): ${stray[*]}"
    kill -TERM "${stray[@]}" 2>/dev/null
    wait_gone 5 "${stray[@]}" || kill -KILL "${stray[@]}" 2>/dev/null
    wait_gone 5 "${stray[@]}"
  done
  # empty container cgroups left behind by killed daemons (cgroup v1 and v2 layouts)
  while read -r m; do
    [ -n "$m" ] && rmdir /sys/fs/cgroup/*/docker/"$m" /sys/fs/cgroup/docker/"$m" 2>/dev/null
  done <"$ids"
  rm -f "$ids"
  if ! any_dockerd; then rmdir /sys/fs/cgroup/*/docker /sys/fs/cgroup/docker 2>/dev/null; fi

  # (4) unmount everything under the lab folders, deepest first
  for tries in 1 2 3; do
    mapfile -t mounts < <(lab_mounts)
    [ ${#mounts[@]} = 0 ] && break
    [ "$tries" = 1 ] && say "unmounting ${#mounts[@]} mount(s)"
    for m in "${mounts[@]}"; do
      umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
    done
  done

  # Overlay networks (ingress, published ports) make each daemon create docker_gwbridge in the
  # one network namespace all nodes share; remove it once no dockerd at all is left to own it.
  if ip link show docker_gwbridge >/dev/null 2>&1 && ! any_dockerd; then
    ip link delete docker_gwbridge 2>/dev/null && say "removed the docker_gwbridge interface"
  fi

  # (5) only then remove the folders (never crossing into a mount that is somehow still there)
  for lab in $labs; do
    rm -rf --one-file-system "$lab"
  done
  rmdir "$LAB_PARENT" 2>/dev/null
  return 0
}

# Check that nothing of any lab is left; print what is.
check_clean() {
  local bad=0 procs mounts
  procs=$(leftover_pids /dev/null | tr '\n' ' ')
  mounts=$(lab_mounts | wc -l)
  if [ -n "$procs" ]; then
    warn "left over: processes $procs"
    bad=1
  fi
  if [ "$mounts" != 0 ]; then
    warn "left over: $mounts mount(s) under $LAB_PARENT"
    bad=1
  fi
  if ip link show docker_gwbridge >/dev/null 2>&1 && ! any_dockerd; then
    warn "left over: network interface docker_gwbridge"
    bad=1
  fi
  if [ -e "$LAB_PARENT" ]; then
    warn "left over: $LAB_PARENT"
    bad=1
  fi
  return $bad
}

# ---------------------------------------------------------------------------------------------
# Up

take_lock() {
  exec 9>"$LOCK_FILE"
  flock -w 600 9 || die "another 'lab up/down' is still running (lock $LOCK_FILE)"
}

port_in_use() {
  [ -n "$(ss -Htln "sport = :$1" 2>/dev/null)" ] && return 0
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
  return 1
}

# free_ports N: N distinct TCP ports free on 127.0.0.1, from 2377 up
free_ports() {
  local n=$1 p=2377 found=0
  while [ $found -lt "$n" ] && [ $p -lt 2977 ]; do
    if ! port_in_use $p; then
      echo $p
      found=$((found + 1))
    fi
    p=$((p + 1))
  done
  [ $found = "$n" ] || die "could not find $n free TCP ports on 127.0.0.1 in 2377-2976"
}

# ---------------------------------------------------------------------------------------------
# worker-new: Debian 13's docker.io (Docker 26.1, API 1.45) beside Debian 12's 20.10, unpacked
# from its .debs into LAB_CACHE (nothing installed system-wide), with Debian 12's runc (Debian
# 13's needs glibc 2.38). LAB_CACHE/bin is a folder of symlinks put first on that node's PATH.

# The machine's own Debian mirror: the first URI of the apt sources (deb822 or one-line format).
debian_mirror() {
  local uri
  uri=$(sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\).*/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null |
    grep -v -- -security | head -n 1 || true)
  [ -n "$uri" ] || uri=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
    sed -n 's/^deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\?\([^[:space:]]*\).*/\2/p' | grep -v -- -security | head -n 1 || true)
  echo "${uri:-http://deb.debian.org/debian}"
}

# fetch_new_engine: fills LAB_CACHE (once; later labs reuse it). Prints nothing on success; on
# failure one reason on stderr and a non-zero exit.
fetch_new_engine() {
  local - # every failure below is handled and named; `set -e` would end it without a word
  set +e
  local c=$LAB_CACHE mirror apt_opts f target
  if [ -f "$c/ready" ] && "$c/bin/dockerd" --version >/dev/null 2>&1; then return 0; fi
  rm -rf "$c"
  mkdir -p "$c/apt/etc/apt.conf.d" "$c/apt/etc/preferences.d" "$c/apt/etc/sources.list.d" \
    "$c/apt/state/lists/partial" "$c/apt/cache/archives/partial" "$c/debs" "$c/root" "$c/bin"
  mirror=$(debian_mirror)
  # Debian 12's keyring already holds Debian 13's keys (without signed-by: NO_PUBKEY).
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror trixie main" >"$c/apt/etc/sources.list"
  apt_opts=(-q -o "Dir::Etc=$c/apt/etc" -o "Dir::State=$c/apt/state" -o "Dir::Cache=$c/apt/cache"
    -o Dir::State::status=/dev/null -o Debug::NoLocking=1 -o APT::Sandbox::User=root
    -o Acquire::Retries=2 -o Acquire::http::Timeout=20)
  # --error-on=any: without it a failed fetch (no network) is only a warning
  timeout 180 apt-get "${apt_opts[@]}" --error-on=any update >"$c/apt.log" 2>&1 ||
    { echo "apt-get update of trixie from $mirror failed (see $c/apt.log)" >&2; return 1; }
  (cd "$c/debs" && timeout 300 apt-get "${apt_opts[@]}" download docker.io containerd runc) >>"$c/apt.log" 2>&1 ||
    { echo "apt-get download docker.io containerd runc from $mirror (trixie) failed (see $c/apt.log)" >&2; return 1; }
  for f in "$c"/debs/*.deb; do dpkg-deb -x "$f" "$c/root" || { echo "dpkg-deb -x $f failed" >&2; return 1; }; done
  for f in dockerd docker-proxy containerd containerd-shim-runc-v2 docker-init; do
    target=$(find "$c/root/usr/sbin" "$c/root/usr/bin" "$c/root/usr/libexec" -name "$f" \( -type f -o -type l \) 2>/dev/null | head -n 1)
    [ -n "$target" ] || { echo "the unpacked Debian 13 packages have no $f" >&2; return 1; }
    ln -sf "$target" "$c/bin/$f"
  done
  target=$(PATH=$PATH:/usr/sbin:/sbin command -v runc) || { echo "Debian 12's runc is missing (apt-get install -y runc)" >&2; return 1; }
  ln -sf "$target" "$c/bin/runc"
  "$c/bin/dockerd" --version >"$c/ready" 2>&1 || { echo "the unpacked dockerd does not run: $(cat "$c/ready")" >&2; rm -f "$c/ready"; return 1; }
  # the package lists and the .debs (~110 MB) are not needed again
  rm -rf "$c/apt/state/lists" "$c/apt/cache" "$c/debs"
}

start_node() {
  local name=$1 dir=$2 tls=() dockerd=$DOCKERD path=$PATH
  # A node with an engine-bin file (worker-new) runs the engine of that folder, first on PATH so
  # that its containerd, shim and runc are found there; kept beside the node for start-node.
  if [ -s "$dir/engine-bin" ]; then
    dockerd=$(cat "$dir/engine-bin")/dockerd
    path=$(cat "$dir/engine-bin"):$PATH
  fi
  mkdir -p "$dir/data" "$dir/exec"
  echo '{}' >"$dir/daemon.json" # keep any /etc/docker/daemon.json of the host out of the lab
  # A node with a tls-port file (manager-1) also listens there, TLS-verified both ways; the port
  # is kept beside the node so that a restart of the node listens there again.
  if [ -s "$dir/tls-port" ]; then
    local certs=${dir%/*}/tls
    tls=(-H "tcp://127.0.0.1:$(cat "$dir/tls-port")" --tlsverify --tlscacert "$certs/ca.pem"
      --tlscert "$certs/server-cert.pem" --tlskey "$certs/server-key.pem")
  fi
  # Its own UTS namespace for its own hostname; setsid and a subshell so that it outlives this
  # shell and is not one of its jobs; fds 9 and 8 (the locks) closed so that a daemon never holds one.
  (setsid unshare --uts sh -c 'hostname "$1" && d=$2 n=$3 && PATH=$4 && shift 4 && \
    exec env DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1 \
    "$d" --config-file "$n/daemon.json" --data-root "$n/data" --exec-root "$n/exec" \
    -H "unix://$n/docker.sock" --pidfile "$n/pid" --bridge none --iptables=false "$@"' \
    sh "$name" "$dockerd" "$dir" "$path" "${tls[@]}" </dev/null >"$dir/dockerd.log" 2>&1 9>&- 8>&- &)
}

# make_tls DIR: a throwaway CA, a server certificate for 127.0.0.1/localhost and a client
# certificate, signed by it. Client files as the docker CLI wants them in DOCKER_CERT_PATH
# (ca.pem, cert.pem, key.pem), the server's beside them. The CA's key is deleted once used, so
# nothing else can ever be signed with it. EC P-256 keys: quick to make on a slow machine.
make_tls() {
  local dir=$1 log=$1/openssl.log pair out key ext cn
  mkdir -p "$dir"
  : >"$log"
  # one openssl step; its output goes to the log, which a failure points to
  ossl() { openssl "$@" >>"$log" 2>&1 || die "openssl $1 failed making the lab's TLS certificates (see $log)"; }
  printf '%s\n' 'basicConstraints=critical,CA:TRUE' 'keyUsage=critical,keyCertSign,cRLSign' \
    'subjectKeyIdentifier=hash' >"$dir/ca.ext"
  printf '%s\n' 'basicConstraints=CA:FALSE' 'keyUsage=critical,digitalSignature' \
    'extendedKeyUsage=serverAuth' 'subjectAltName=IP:127.0.0.1,DNS:localhost' >"$dir/server.ext"
  printf '%s\n' 'basicConstraints=CA:FALSE' 'keyUsage=critical,digitalSignature' \
    'extendedKeyUsage=clientAuth' >"$dir/client.ext"
  for key in ca-key server-key key; do
    ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$dir/$key.pem"
    chmod 600 "$dir/$key.pem"
  done
  ossl req -new -key "$dir/ca-key.pem" -subj '/CN=smarm-top lab CA' -out "$dir/ca.csr"
  ossl x509 -req -in "$dir/ca.csr" -signkey "$dir/ca-key.pem" -days 30 -sha256 \
    -extfile "$dir/ca.ext" -out "$dir/ca.pem"
  for pair in server-cert:server-key:server.ext:localhost cert:key:client.ext:smarm-top-lab-client; do
    IFS=: read -r out key ext cn <<<"$pair"
    ossl req -new -key "$dir/$key.pem" -subj "/CN=$cn" -out "$dir/$out.csr"
    ossl x509 -req -in "$dir/$out.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca-key.pem" -days 30 \
      -sha256 -set_serial "0x$(openssl rand -hex 16)" -extfile "$dir/$ext" -out "$dir/$out.pem"
  done
  rm -f "$dir/ca-key.pem" "$dir"/*.csr "$dir"/*.ext
}

# The TLS listener answers, verified with the lab's client certificate by the docker CLI.
check_tls() {
  local host=$1 certs=$2
  timeout 20 "$DOCKER" --tlsverify --tlscacert "$certs/ca.pem" --tlscert "$certs/cert.pem" \
    --tlskey "$certs/key.pem" -H "$host" version --format '{{.Server.Version}}' >/dev/null ||
    die "manager-1 does not answer with TLS on $host (see its dockerd.log)"
}

# free_tls_port: the first free TCP port on 127.0.0.1 from 23761 (far from the swarm ports)
free_tls_port() {
  local p
  for ((p = 23761; p < 23861; p++)); do
    if ! port_in_use $p; then
      echo $p
      return 0
    fi
  done
  die "no free TCP port on 127.0.0.1 in 23761-23860 for the TLS listener"
}

wait_node() {
  local name=$1 dir=$2 deadline=$((SECONDS + 60))
  until DK_TIMEOUT=5 dk "$dir/docker.sock" version --format '{{.Server.Version}}' >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then
      tail -n 20 "$dir/dockerd.log" >&2 || true
      die "$name: dockerd did not answer on $dir/docker.sock within 60 s (log above)"
    fi
    if [ -s "$dir/pid" ] && ! dockerd_pid "$dir" >/dev/null; then
      tail -n 20 "$dir/dockerd.log" >&2 || true
      die "$name: dockerd exited during start (log above)"
    fi
    sleep 0.2
  done
}

build_rootfs() {
  local root=$1 version=$2 a
  mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/proc" "$root/sys" "$root/dev"
  cp /bin/busybox "$root/bin/busybox"
  for a in $BUSYBOX_APPLETS; do ln -sf busybox "$root/bin/$a"; done
  echo "lab/busybox:$version" >"$root/etc/lab-image"
}

# running/desired of a service from `docker service ls`, e.g. "4/4"
replicas() {
  dk "$1" service ls --filter "name=$2" --format '{{.Name}} {{.Replicas}}' 2>/dev/null |
    awk -v n="$2" '$1 == n { print $2 }'
}
converged() {
  local r
  r=$(replicas "$1" "$2")
  r=${r%% *}
  [[ $r =~ ^([0-9]+)/([0-9]+)$ ]] && [ "${BASH_REMATCH[2]}" -gt 0 ] && [ "${BASH_REMATCH[1]}" = "${BASH_REMATCH[2]}" ]
}

UP_DONE=0
on_up_exit() {
  local rc=$?
  if [ $UP_DONE = 0 ]; then
    warn "up failed (exit $rc): tearing down what it started"
    teardown_all
  fi
  exit $rc
}

cmd_up() {
  [ "$(id -u)" = 0 ] || die "lab up must run as root (it starts dockerd daemons): run it with sudo."
  if [ -z "$DOCKERD" ] || [ -z "$DOCKER" ] || [ ! -x /bin/busybox ] || ! file_is_static /bin/busybox; then
    die "dockerd, docker or a static busybox is missing: install docker.io: apt-get install -y docker.io busybox-static"
  fi
  command -v unshare >/dev/null && command -v setsid >/dev/null && command -v ss >/dev/null ||
    die "unshare, setsid or ss is missing: apt-get install -y util-linux iproute2"
  command -v openssl >/dev/null || die "openssl is missing: apt-get install -y openssl"
  [[ $LAB_MANAGERS =~ ^[1-9][0-9]*$ && $LAB_WORKERS =~ ^[0-9]+$ ]] ||
    die "LAB_MANAGERS must be >= 1 and LAB_WORKERS >= 0"
  take_lock

  local t0=$SECONDS
  if [ -n "$(lab_dirs)" ] || [ -n "$(lab_mounts)" ] || [ -n "$(leftover_pids /dev/null)" ]; then
    say "an earlier lab is present: tearing it down first"
    teardown_all
    check_clean || die "the earlier lab could not be torn down completely (see above)"
    say "earlier lab torn down in $((SECONDS - t0)) s"
    t0=$SECONDS
  fi

  trap on_up_exit EXIT
  trap 'exit 130' INT TERM
  mkdir -p "$LAB_PARENT"
  local lab names=() managers=() workers=() newer=() ports i n fetch_pid='' new_note=''
  lab=$(mktemp -d "$LAB_PARENT/lab-XXXX")
  # worker-new's engine is fetched (or found in LAB_CACHE) while the certificates are made
  if [ "$LAB_NEW_ENGINE" = 1 ]; then
    fetch_new_engine 2>"$lab/new-engine.err" &
    fetch_pid=$!
  fi
  for ((i = 1; i <= LAB_MANAGERS; i++)); do managers+=("manager-$i"); done
  for ((i = 1; i <= LAB_WORKERS; i++)); do workers+=("worker-$i"); done
  local tls_port tls_host
  # Ports are found free here but only bound once the nodes listen: two labs coming up side by
  # side (one per parent) take turns through this lock until every node of this one listens.
  exec 8>"${TMPDIR:-/tmp}/smarm-lab-ports.lock"
  flock -w 600 8 || die "another lab held the port lock for 10 minutes"
  tls_port=$(free_tls_port)
  tls_host=tcp://127.0.0.1:$tls_port
  make_tls "$lab/tls"
  mkdir -p "$lab/manager-1"
  echo "$tls_port" >"$lab/manager-1/tls-port"

  if [ -n "$fetch_pid" ]; then
    if wait "$fetch_pid"; then
      newer=("$NEW_NODE")
      mkdir -p "$lab/$NEW_NODE"
      echo "$LAB_CACHE/bin" >"$lab/$NEW_NODE/engine-bin"
    else
      new_note="lab: $NEW_NODE (Docker 26.1) left out: $(head -n 1 "$lab/new-engine.err")"
      [ -s "$lab/new-engine.err" ] || new_note+="its engine could not be made ready in $LAB_CACHE"
    fi
  else
    new_note="lab: $NEW_NODE (Docker 26.1) left out: LAB_NEW_ENGINE=$LAB_NEW_ENGINE"
  fi
  names=("${managers[@]}" "${workers[@]}" "${newer[@]}")
  mapfile -t ports < <(free_ports ${#names[@]})
  [ ${#ports[@]} = ${#names[@]} ] || die "could not find ${#names[@]} free TCP ports on 127.0.0.1"
  sock() { echo "$lab/$1/docker.sock"; }
  local m1
  m1=$(sock manager-1)

  say "starting ${#names[@]} dockerd(s) in $lab (swarm ports ${ports[*]}; manager-1 also on $tls_host with TLS)"
  for n in "${names[@]}"; do start_node "$n" "$lab/$n"; done
  for n in "${names[@]}"; do wait_node "$n" "$lab/$n"; done
  check_tls "$tls_host" "$lab/tls"
  say "daemons up after $((SECONDS - t0)) s"

  say "forming the swarm on 127.0.0.1"
  dk "$m1" swarm init --advertise-addr "127.0.0.1:${ports[0]}" --listen-addr "127.0.0.1:${ports[0]}" >/dev/null
  local mtoken wtoken role token
  mtoken=$(dk "$m1" swarm join-token -q manager)
  wtoken=$(dk "$m1" swarm join-token -q worker)
  for ((i = 1; i < ${#names[@]}; i++)); do
    n=${names[$i]}
    if [[ $n == manager-* ]]; then token=$mtoken; else token=$wtoken; fi
    dk "$(sock "$n")" swarm join --token "$token" --listen-addr "127.0.0.1:${ports[$i]}" \
      --advertise-addr "127.0.0.1:${ports[$i]}" "127.0.0.1:${ports[0]}" >/dev/null ||
      die "$n could not join the swarm"
  done
  # every node listens on its swarm port now
  flock -u 8
  exec 8>&-
  # the nodes as the swarm sees them: one per hostname, all Ready
  local deadline=$((SECONDS + 30)) ready
  until ready=$(dk "$m1" node ls --format '{{.Hostname}} {{.Status}}' | awk '$2 == "Ready"' | wc -l) &&
    [ "$ready" = ${#names[@]} ]; do
    [ $SECONDS -lt $deadline ] || die "only $ready of ${#names[@]} nodes are Ready after 30 s"
    sleep 0.3
  done
  if [ ${#workers[@]} -gt 0 ]; then
    dk "$m1" node update --label-add zone=b "${workers[-1]}" >/dev/null
  fi
  say "swarm formed after $((SECONDS - t0)) s"

  say "importing lab/busybox:1 and lab/busybox:2 on every node"
  local v
  for v in 1 2; do
    build_rootfs "$lab/rootfs-$v" $v
    tar -C "$lab/rootfs-$v" -cf "$lab/busybox-$v.tar" .
  done
  local jobs=()
  for n in "${names[@]}"; do
    (for v in 1 2; do
      dk "$(sock "$n")" import -c 'CMD ["sh"]' -m "smarm-top lab image $v" "$lab/busybox-$v.tar" "lab/busybox:$v" >/dev/null ||
        exit 1
    done) &
    jobs+=($!)
  done
  for i in "${!jobs[@]}"; do wait "${jobs[$i]}" || die "docker import failed on ${names[$i]}"; done

  say "creating services web, agent, crashy, api, logger, ttylog, hostile"
  local loop='while true; do echo "hello from $(hostname)"; sleep 2; done'
  # sh as pid 1 ignores SIGTERM: a short grace period keeps updates, scale-downs and drains quick.
  # No published ports: ingress needs a vxlan per node, and all nodes share one network namespace
  # here ("error creating vxlan interface: file exists").
  local create=(service create -d --no-resolve-image --stop-grace-period 2s)
  dk "$m1" "${create[@]}" --name web --replicas 4 --label com.smarm-lab.role=frontend \
    --env GREETING=hello lab/busybox:1 sh -c "$loop" >/dev/null
  dk "$m1" "${create[@]}" --name agent --mode global --label com.smarm-lab.role=agent \
    lab/busybox:1 sh -c "$loop" >/dev/null
  dk "$m1" "${create[@]}" --name crashy --replicas 1 --restart-delay 2s \
    --label com.smarm-lab.role=crashloop lab/busybox:1 \
    sh -c 'echo starting; sleep 3; echo failing >&2; exit 3' >/dev/null
  dk "$m1" "${create[@]}" --name api --replicas 2 --env VERSION=1 --label com.smarm-lab.role=api \
    lab/busybox:1 sh -c "$loop" >/dev/null
  dk "$m1" service update -d --no-resolve-image --image lab/busybox:2 --env-add VERSION=2 api >/dev/null
  # Log sources with known content: numbered lines (every 10th also on stderr), one per node.
  dk "$m1" "${create[@]}" --name logger --replicas 3 --replicas-max-per-node 1 \
    --label com.smarm-lab.role=logs lab/busybox:1 sh -c 'i=0; while true; do i=$((i+1)); echo "logger line $i from $(hostname)"; if [ $((i % 10)) = 0 ]; then echo "logger warn $i" >&2; fi; sleep 0.5; done' >/dev/null
  # With a TTY the engine sends its logs raw, not multiplexed.
  dk "$m1" "${create[@]}" --name ttylog --replicas 1 --tty --label com.smarm-lab.role=logs \
    lab/busybox:1 sh -c 'i=0; while true; do i=$((i+1)); echo "tty line $i"; sleep 1; done' >/dev/null
  # Terminal attacks in log text: title, clear screen, cursor move, OSC 52 clipboard, CR and
  # backspace overwrites, 8-bit C1 CSI (U+009B as UTF-8); each round ends with a plain marker.
  dk "$m1" "${create[@]}" --name hostile --replicas 1 --label com.smarm-lab.role=hostile \
    lab/busybox:1 sh -c 'i=0; while true; do i=$((i+1))
      printf "title \033]0;pwned\007 %d\n" $i
      printf "clear \033[2J %d\n" $i
      printf "move \033[10;10H %d\n" $i
      printf "clipboard \033]52;c;aGk=\007 %d\n" $i
      printf "safe\rEVIL %d\n" $i
      printf "backspace okay\b\b\b\bEVIL %d\n" $i
      printf "c1 \302\23331mred %d\n" $i
      printf "hostile-marker %d\n" $i
      sleep 2; done' >/dev/null

  say "waiting (up to $LAB_WAIT s) for web, agent and the log services to run and for the api update to complete"
  deadline=$((SECONDS + LAB_WAIT))
  local api_state=''
  while :; do
    api_state=$(dk "$m1" service inspect api --format '{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}' 2>/dev/null || true)
    if converged "$m1" web && converged "$m1" agent && [ "$api_state" = completed ] &&
      converged "$m1" logger && converged "$m1" ttylog && converged "$m1" hostile; then break; fi
    if [ $SECONDS -ge $deadline ]; then
      dk "$m1" service ls >&2 || true
      die "services did not converge within $LAB_WAIT s (web $(replicas "$m1" web), agent $(replicas "$m1" agent), api update '${api_state:-none}', logger $(replicas "$m1" logger), ttylog $(replicas "$m1" ttylog), hostile $(replicas "$m1" hostile))"
    fi
    sleep 0.5
  done

  # the env file, written last and atomically: its presence means "a lab is up"
  local msocks=() wsocks=() allsocks=() new_sock=''
  for n in "${managers[@]}"; do msocks+=("unix://$(sock "$n")"); done
  for n in "${workers[@]}" "${newer[@]}"; do wsocks+=("unix://$(sock "$n")"); done
  [ ${#newer[@]} = 0 ] || new_sock=unix://$(sock "$NEW_NODE")
  allsocks=("${msocks[@]}" "${wsocks[@]}")
  # One KEY=VALUE a line. Lists are space-separated and then double-quoted, so that the file can
  # be sourced by a shell; a parser strips one pair of surrounding quotes. No other quoting or
  # escaping ever appears (the values hold no quotes, backslashes or dollars).
  {
    echo "DOCKER_HOST=unix://$m1"
    echo "LAB_ROOT=$lab"
    echo "LAB_NODES=\"${names[*]}\""
    echo "LAB_SOCKETS=\"${allsocks[*]}\""
    echo "LAB_MANAGER_SOCKETS=\"${msocks[*]}\""
    echo "LAB_WORKER_SOCKETS=\"${wsocks[*]}\""
    echo "LAB_SWARM_PORTS=\"${ports[*]}\""
    echo "LAB_SERVICES=\"web agent crashy api logger ttylog hostile\""
    echo "LAB_IMAGES=\"lab/busybox:1 lab/busybox:2\""
    echo "LAB_TLS_HOST=$tls_host"
    echo "LAB_TLS_CERT_PATH=$lab/tls"
    # worker-new (Docker 26.1, a worker), empty when it was left out
    echo "LAB_NEW_SOCKET=$new_sock"
  } >"$ENV_FILE.tmp"
  mv "$ENV_FILE.tmp" "$ENV_FILE"
  UP_DONE=1
  trap - EXIT INT TERM

  dk "$m1" node ls
  echo
  dk "$m1" service ls
  echo
  if [ -n "$new_sock" ]; then
    say "$NEW_NODE runs Docker $(dk "$(sock "$NEW_NODE")" version --format '{{.Server.Version}} (API {{.Server.APIVersion}})')"
  else
    echo "$new_note"
  fi
  say "lab up in $((SECONDS - t0)) s; env file: $ENV_FILE"
  echo "export DOCKER_HOST=unix://$m1"
}

file_is_static() {
  # a dynamically linked busybox cannot run inside the image, which has no libc
  ! LC_ALL=C ldd "$1" >/dev/null 2>&1
}

# ---------------------------------------------------------------------------------------------

cmd_down() {
  [ "$(id -u)" = 0 ] || die "lab down must run as root (it stops dockerd daemons): run it with sudo."
  take_lock
  if [ -z "$(lab_dirs)" ] && [ ! -e "$ENV_FILE" ] && [ -z "$(lab_mounts)" ] && [ -z "$(leftover_pids /dev/null)" ]; then
    say "no lab is up under $LAB_PARENT: nothing to do"
    return 0
  fi
  local t0=$SECONDS
  teardown_all
  if check_clean; then
    say "lab torn down in $((SECONDS - t0)) s; nothing of it is left (no processes, no mounts, no folders)"
  else
    die "teardown incomplete: see above"
  fi
}

need_env() {
  [ -s "$ENV_FILE" ] || {
    echo "lab: no lab is up (no $ENV_FILE); start one with: npm run lab -- up" >&2
    exit 1
  }
}

cmd_env() {
  need_env
  cat "$ENV_FILE"
}

cmd_status() {
  need_env
  cat "$ENV_FILE"
  echo
  local host
  host=$(sed -n 's|^DOCKER_HOST=unix://||p' "$ENV_FILE")
  DK_TIMEOUT=10 dk "$host" node ls || die "the lab's manager-1 does not answer on $host"
  echo
  DK_TIMEOUT=10 dk "$host" service ls
}

# A node of the running lab by name; its folder. For the fault tests (a manager's daemon dies).
lab_node_dir() {
  need_env
  [ "$(id -u)" = 0 ] || die "stopping and starting a lab node must run as root."
  local name=${1:-} root
  [ -n "$name" ] || die "name a node: $(sed -n 's/^LAB_NODES="\(.*\)"$/\1/p' "$ENV_FILE")"
  root=$(sed -n 's/^LAB_ROOT=//p' "$ENV_FILE")
  [ -d "$root/$name" ] || die "the lab has no node $name"
  echo "$root/$name"
}

# SIGTERM, as when a daemon is stopped or killed by the host: the node drops out of the swarm.
cmd_stop_node() {
  local dir pid
  dir=$(lab_node_dir "${1:-}") || exit 1
  pid=$(dockerd_pid "$dir") || die "$1: its dockerd is not running"
  kill -TERM "$pid"
  if ! wait_gone 40 "$pid"; then
    warn "$1: dockerd did not exit within 40 s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null
    wait_gone 10 "$pid"
  fi
  say "$1: dockerd stopped"
}

cmd_start_node() {
  local dir
  dir=$(lab_node_dir "${1:-}") || exit 1
  if dockerd_pid "$dir" >/dev/null; then die "$1: its dockerd is already running"; fi
  start_node "$1" "$dir"
  wait_node "$1" "$dir"
  say "$1: dockerd started"
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  env) cmd_env ;;
  stop-node) cmd_stop_node "${2:-}" ;;
  start-node) cmd_start_node "${2:-}" ;;
  *)
    echo "usage: npm run lab -- up|down|status|env|stop-node NAME|start-node NAME" >&2
    exit 2
    ;;
esac
