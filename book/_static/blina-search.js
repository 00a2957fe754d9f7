/* Search result snippets as prose (loaded on every page by tools/book/ext.py).
 *
 * Sphinx's searchtools.js builds each result's snippet from the text of the page it found,
 * which for a formula is its TeX source ("\(\hat S(t) = \prod ...\)"), and for a figure the
 * surrounding markup.  Before the text is taken, formulas become "[formula]" and code cells'
 * sources are dropped (their outputs stay), so a snippet reads like the page.
 *
 * How numbers are made findable is in tools/book/ext.py (NumberSearch): the index keeps
 * "82.62" as one word, and splitQuery (in language_data.js) keeps it as one query term.
 */
(() => {
  const patch = () => {
    if (typeof Search === "undefined" || Search.blinaPatched) return;
    const original = Search.htmlToText;
    Search.htmlToText = (htmlString, anchor) => {
      const doc = new DOMParser().parseFromString(htmlString, "text/html");
      doc.querySelectorAll(".math, mjx-container").forEach((el) => {
        el.replaceWith(doc.createTextNode("[formula]"));
      });
      doc.querySelectorAll(".cell_input, .copybtn").forEach((el) => el.remove());
      return original(doc.documentElement.outerHTML, anchor);
    };
    Search.blinaPatched = true;
  };
  patch();
  document.addEventListener("DOMContentLoaded", patch);
})();
