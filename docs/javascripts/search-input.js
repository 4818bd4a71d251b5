// Material's search box (mkdocs-material 9.8.2, pinned in pyproject.toml) reads its value on
// `keyup` only, so text that arrives without a key — pasted, chosen from a Chinese input
// method's candidate list, dictated, autofilled — was never searched. Edits are forwarded as a
// keyup once any composition has ended. Checked by tests/test_site_browser.py.
(function () {
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
