// The one fake engine lives in source/demo/engine (smarm-top --demo serves it); tests and
// benchmarks use it from here.
export * from '../../source/demo/engine/index.js';
