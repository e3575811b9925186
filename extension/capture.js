/**
 * Injected into the tab the shopper clicked on, or into a page the shopper watches on a site they allowed
 * when making the watch (never anywhere else): reads the page as it is rendered and hands it back to the
 * background as this script's result. A classic script, so no imports.
 */
(() => {
  const MAX_CHARS = 6 * 1024 * 1024; // the background caps the bytes; this only bounds what is copied

  /** The page's canonical address, if it names one. */
  function canonical() {
    const node = document.querySelector('link[rel~="canonical"][href]');
    return node ? node.href : null;
  }

  /** The text of every JSON-LD block on the page. */
  function jsonLd() {
    return Array.from(document.querySelectorAll('script[type="application/ld+json"]'))
      .map((node) => node.textContent || '')
      .filter((text) => text.trim());
  }

  /** The rendered document as HTML, doctype included. */
  function html() {
    const doctype = document.doctype ? `<!DOCTYPE ${document.doctype.name}>\n` : '';
    const text = doctype + document.documentElement.outerHTML;
    return text.length > MAX_CHARS ? text.slice(0, MAX_CHARS) : text;
  }

  return {
    url: location.href,
    canonical: canonical(),
    lang: document.documentElement.lang || null,
    jsonld: jsonLd(),
    html: html(),
    title: document.title,
  };
})();
