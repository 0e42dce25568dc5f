import type { Page } from 'playwright-core';

/** What Chromium's own XML parser makes of a document: an independent check of our writer. */
export interface ParsedInChromium {
  error: string | null;
  root: string;
  ns: string | null;
  titles: string[];
}

// A string, so the test program needs no DOM types: it runs in the page.
const PARSE = `(text) => {
  const document = new DOMParser().parseFromString(text, 'application/xml');
  return {
    error: document.querySelector('parsererror')?.textContent ?? null,
    root: document.documentElement.localName,
    ns: document.documentElement.namespaceURI,
    titles: [...document.getElementsByTagName('title')].map((title) => title.textContent),
  };
}`;

export function parseInChromium(page: Page, text: string): Promise<ParsedInChromium> {
  return page.evaluate(`(${PARSE})(${JSON.stringify(text)})`) as Promise<ParsedInChromium>;
}
