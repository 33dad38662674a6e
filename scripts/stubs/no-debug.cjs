// docker-modem logs its requests through the `debug` package when DEBUG=modem is set. Loading
// it probes the terminal's colours and reads the environment at every start (about 3 ms of
// CPU, issue 17), and what it would print (request options, bodies) is not for smarm-top's
// screen: a logger that never logs.
'use strict';
const silent = Object.assign(() => undefined, { enabled: false, log: () => undefined });
silent.extend = () => silent;
module.exports = Object.assign(() => silent, {
  enabled: () => false,
  enable: () => undefined,
  disable: () => '',
});
