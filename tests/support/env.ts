/**
 * Where the suite's own servers listen. They use their own ports (not `npm start`'s), so a
 * demo left running never answers for the suite, and its own store file.
 */
export const MOCK_PORT = Number(process.env.TEST_MOCK_PORT ?? 4320);
export const SITE_PORT = Number(process.env.TEST_SITE_PORT ?? 4310);
export const MOCK_URL = `http://127.0.0.1:${MOCK_PORT}`;
export const SITE_URL = `http://127.0.0.1:${SITE_PORT}`;

/** The widget build under test: a file path or URL, or empty for the reference widget. */
export const WIDGET_UNDER_TEST = process.env.CV_WIDGET ?? '';
/** How the mock server's health check and the conformance report name the reference build. */
export const REFERENCE_WIDGET = 'reference widget (widget/dist/cv.js)';

/**
 * The identity secret the suite's fixture site signs with. Every test workspace is created
 * with it, as a site's workspace would be configured with the site's secret. It lives on the
 * site's server and in the test runner, never in a page.
 */
export const IDENTITY_SECRET = process.env.TEST_IDENTITY_SECRET ?? 'suite-identity-secret-7f3a9c2e51b84d06a1e2';
