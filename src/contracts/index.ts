/**
 * The API contracts: zod schemas of request and response bodies, imported by the routes, the dashboard
 * (`web/`) and the contract test. Only zod may be imported here, so the module bundles into the browser.
 */
export * from './admin.js';
export * from './docs.js';
export * from './errors.js';
export * from './product.js';
export * from './values.js';
