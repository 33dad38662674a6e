#!/usr/bin/env bash
# Makes a Node base image for the Dockerfile without any registry: a root filesystem holding this
# machine's `node` binary and the shared libraries it links (as `ldd` lists them), CA certificates,
# a minimal /etc/passwd and /tmp, `docker import`-ed on the engine DOCKER_HOST names. For machines
# that cannot pull node:20-bookworm-slim (offline managers, the lab swarm):
#
#   bash scripts/node-base-image.sh            # -> smarm-top/node-base:local
#   docker build --build-arg BASE=smarm-top/node-base:local -t smarm-top .
#
# Usage: node-base-image.sh [TAG]   (NODE=/path/to/node picks another binary)
set -euo pipefail

tag=${1:-smarm-top/node-base:local}
node_bin=$(readlink -f "${NODE:-$(command -v node)}") || {
  echo "node-base-image: no node binary found (set NODE=/path/to/node)" >&2
  exit 1
}
[ -x "$node_bin" ] || {
  echo "node-base-image: $node_bin is not an executable" >&2
  exit 1
}

root=$(mktemp -d "${TMPDIR:-/tmp}/smarm-node-base.XXXXXX")
trap 'rm -rf "$root"' EXIT

mkdir -p "$root/usr/local/bin" "$root/etc" "$root/root" "$root/tmp"
chmod 1777 "$root/tmp"
chmod 0700 "$root/root"
cp "$node_bin" "$root/usr/local/bin/node"

# Every library the loader needs, at the path ldd names (the loader's own path included); -L
# copies the file a symlink such as /lib64/ld-linux-x86-64.so.2 points to, under the link's name.
libraries=$(ldd "$node_bin" | grep -o '/[^ ]*' | sort -u)
[ -n "$libraries" ] || {
  echo "node-base-image: ldd lists no libraries for $node_bin (a static binary needs none)" >&2
}
for library in $libraries; do
  mkdir -p "$root$(dirname "$library")"
  cp -L "$library" "$root$library"
done

# Node carries its own CA list; the system's is there for NODE_USE_SYSTEM_CA and tools alike.
if [ -d /etc/ssl/certs ]; then
  mkdir -p "$root/etc/ssl"
  cp -rL /etc/ssl/certs "$root/etc/ssl/certs" 2>/dev/null || true
fi

# os.userInfo() and the home directory (the config file's default place) need a passwd entry.
cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
EOF
cat >"$root/etc/group" <<'EOF'
root:x:0:
nogroup:x:65534:
EOF

# Root-owned files whoever runs this; the image sets PATH and HOME as node:*-slim does.
tar -C "$root" --numeric-owner --owner=0 --group=0 -cf - . |
  docker import \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c 'ENV HOME=/root' \
    -c 'CMD ["node"]' \
    -m "node $("$node_bin" --version) from $(hostname), made by smarm-top's scripts/node-base-image.sh" \
    - "$tag" >/dev/null
echo "$tag: node $("$node_bin" --version) with $(echo "$libraries" | wc -w) libraries"
