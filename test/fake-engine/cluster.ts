export * from '../../source/demo/engine/cluster.js';
