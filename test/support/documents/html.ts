/**
 * Small web pages for the HTML reader's tests, with the furniture real publisher pages carry
 * (navigation, cookie banners, scripts, sharing buttons, footers) around an article.
 */

export interface PageParts {
  /** The `<html lang>`. */
  lang?: string;
  /** Inside `<head>` after the charset and title (meta tags). */
  head?: string;
  /** `<title>`. */
  title?: string;
  /** Inside `<body>`. */
  body: string;
  /** The charset declaration (default `<meta charset="utf-8">`; '' for none). */
  charset?: string;
}

export const htmlPage = (parts: PageParts): string =>
  `<!DOCTYPE html><html${parts.lang ? ` lang="${parts.lang}"` : ''}><head>${parts.charset ?? '<meta charset="utf-8">'}<title>${
    parts.title ?? 'A page'
  }</title>${parts.head ?? ''}</head><body>${parts.body}</body></html>`;

export const meta = (name: string, content: string): string => `<meta name="${name}" content="${content}">`;

/** Page furniture whose every word contains "Furniture", so a test can look for any of it in a body. */
export const furniture = {
  nav: '<nav><ul><li><a href="/">Furniture home</a></li><li><a href="/journals">Furniture journals</a></li></ul></nav>',
  header: '<header><div class="logo">Furniture Logo</div><form><input name="q"><button>Furniture search</button></form></header>',
  cookieBanner:
    '<div id="cookie-consent" class="cookie-banner"><p>Furniture: we use cookies to improve your experience.</p><button>Accept</button></div>',
  script: '<script>window.furniture = "Furniture tracking";</script><style>.furniture::after { content: "Furniture style"; }</style>',
  share: '<div class="share-buttons"><a href="https://twitter.com/share">Furniture tweet</a></div>',
  aside: '<aside><h3>Furniture related articles</h3><p>Furniture teaser text.</p></aside>',
  footer: '<footer><p>Furniture copyright and privacy policy. Subscribe to our newsletter.</p></footer>',
};
