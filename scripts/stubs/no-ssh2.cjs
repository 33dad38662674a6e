// docker-modem's own ssh transport is never used: smarm-top reaches ssh:// endpoints itself, so the
// 600 KB of ssh2 is loaded only when such an endpoint is named.
'use strict';
class Client {
  constructor() {
    throw new Error("smarm-top does not use docker-modem's ssh transport.");
  }
}
module.exports = { Client };
