export * from '../../source/demo/engine/logs.js';
