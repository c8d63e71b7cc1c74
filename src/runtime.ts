/**
 * `eslint-plugin-durable-write/durable`: the runtime package, re-exported so that code written against
 * the plugin's helper keeps working. Fixes import `durable-write-runtime` itself: it is a production
 * dependency without ESLint behind it.
 */
export * from 'durable-write-runtime';
