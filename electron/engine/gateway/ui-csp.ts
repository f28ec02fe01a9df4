// The UI's Content Security Policy, alone in a file with no imports: the Vite config (electron/shell/csp.ts)
// loads it at build time, and serve sends it as a header (static-ui.ts).
export const UI_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";
