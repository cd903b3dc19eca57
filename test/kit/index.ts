/** Everything of the kit for test files (scripts and benchmarks import the vitest-free files directly). */
export * from './client.js';
export * from './flow.js';
export * from './harness.js';
export * from './initiatives.js';
export * from './principals.js';
export * from './receiver.js';
export * from './service.js';
export * from './tokens.js';
export * from './smtp.js';
