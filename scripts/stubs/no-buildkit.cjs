// dockerode loads gRPC, protobuf and tar at start for image builds and BuildKit sessions, which
// smarm-top never does. Using this stub throws instead of loading ~1 MB of code.
'use strict';
function unsupported() {
  throw new Error('smarm-top does not build images: BuildKit sessions are not bundled.');
}
module.exports = new Proxy(
  {},
  { get: (_target, name) => (name === '__esModule' ? false : unsupported) },
);
