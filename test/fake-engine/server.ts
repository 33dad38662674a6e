export * from '../../source/demo/engine/server.js';
