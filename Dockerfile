# smarm-top in a container, for a manager where installing Node is not wanted:
#
#   npm run build                                  # dist/ is the whole program: build it first
#   docker build -t smarm-top .
#   docker run --rm -it -v /var/run/docker.sock:/var/run/docker.sock smarm-top
#
# Nothing is installed in the image (the bundle needs no node_modules), so the build only copies:
# it needs no network beyond the base image. Without a registry, make the base image from this
# machine's node first: `bash scripts/node-base-image.sh` and
# `docker build --build-arg BASE=smarm-top/node-base:local -t smarm-top .`
ARG BASE=node:20-bookworm-slim
FROM ${BASE}

COPY dist/ /opt/smarm-top/

# docker run -it gives a terminal but no TERM from the caller's; colours need one. NODE_OPTIONS,
# the entrypoint's flag and MALLOC_ARENA_MAX: what cli.js's first lines pass when it is run as a
# program (scripts/node-flags.mjs), as the image may have no shell to run them; node refuses
# --single-threaded-gc in NODE_OPTIONS. The stats probe's service sets its own NODE_OPTIONS.
# SMARM_CODE_CACHE=off: a container's files are gone at its next start, so the launcher's code
# cache (docs/install.md) would be written at every exit and never read.
ENV TERM=xterm-256color NODE_ENV=production NODE_OPTIONS='--max-semi-space-size=4 --expose-gc' MALLOC_ARENA_MAX=2 SMARM_CODE_CACHE=off
# The engine's socket is usually root's (or the docker group's): the image stays root.
USER root
ENTRYPOINT ["node", "--single-threaded-gc", "/opt/smarm-top/cli.js"]
