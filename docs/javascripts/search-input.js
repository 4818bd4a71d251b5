// Two fixes to Material's search box (mkdocs-material 9.8.2, pinned in pyproject.toml; checked by
// tests/test_site_browser.py):
//
// 1. The box reads its value on `keyup` only, so text that arrives without a key (pasted,
//    chosen from a Chinese input method's candidate list, dictated, autofilled) was never
//    searched. Edits are forwarded as a keyup once any composition has ended.
// 2. The search worker splits a Chinese run into the index's words but makes each word
//    optional, so 综治网格员 ranked every page with 网格 above the one page with all three
//    words. Each Chinese run of an unquoted query is sent as a required phrase ("+…"): a
//    page must contain all of its words, as for a search box people know.
(function () {
  var HAN = /\p{sc=Han}+/gu;

  function requireHan(query) {
    if (typeof query !== "string" || query.indexOf('"') >= 0) return query;
    return query.replace(HAN, function (run) { return ' +"' + run + '" '; }).replace(/\s+/g, " ").trim();
  }

  if (window.Worker && !Worker.prototype.gpSearchPatched) {
    var post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (message) {
      // Material's worker protocol: {type: 2, data: query} asks for results.
      if (message && message.type === 2 && typeof message.data === "string") {
        arguments[0] = { type: message.type, data: requireHan(message.data) };
      }
      return post.apply(this, arguments);
    };
    Worker.prototype.gpSearchPatched = true;
  }

  function hook(input) {
    if (!input || input.dataset.gpSearchHooked) return;
    input.dataset.gpSearchHooked = "1";
    var composing = false;
    function forward() {
      if (!composing) input.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
    }
    input.addEventListener("compositionstart", function () { composing = true; });
    input.addEventListener("compositionend", function () { composing = false; forward(); });
    input.addEventListener("input", forward);
  }
  function init() { hook(document.querySelector("input.md-search__input")); }
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
