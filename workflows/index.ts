// The workflow bundle's entry point: every workflow type the worker registers.
export { initiativeWorkflow } from './initiative.js';
export { notificationWorkflow } from './notifications.js';
