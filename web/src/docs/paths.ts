/** Docs paths, kept apart from the docs pages so the dashboard's main bundle need not load them. */
export const isDocsPath = (path: string) => path === '/docs' || path.startsWith('/docs/');

/** The OpenAPI reference, served by its own page (not one of the Markdown pages). */
export const REFERENCE_PATH = '/docs/reference';

/** The Quick start page, where an empty Usage page sends a newcomer. */
export const QUICKSTART_PATH = '/docs/quickstart';
