// Render math with the KaTeX copy the site serves itself (assets/katex/), on every page view:
// `document$` fires on the first load and after each instant-navigation page swap.
(function () {
  "use strict";
  var options = {
    throwOnError: false,   // a bad formula is drawn in red; the browser test fails on it
    errorColor: "#cc0000",
    strict: "warn",
    trust: false,
  };

  function renderArithmatex(root) {
    // pymdownx.arithmatex (generic) wraps math as \( ... \) or \[ ... \] in .arithmatex elements.
    root.querySelectorAll(".arithmatex").forEach(function (el) {
      var tex = el.textContent.trim();
      var display = tex.startsWith("\\[");
      tex = tex.slice(2, -2);
      katex.render(tex, el, Object.assign({ displayMode: display }, options));
    });
  }

  function renderNotebooks(root) {
    // Notebook pages (mkdocs-jupyter) keep $...$ and $$...$$ in their Markdown cells.
    root.querySelectorAll(".jupyter-wrapper .jp-MarkdownOutput").forEach(function (el) {
      renderMathInElement(el, Object.assign({
        delimiters: [
          { left: "$$", right: "$$", display: true },
          { left: "$", right: "$", display: false },
        ],
      }, options));
    });
  }

  function renderAll() {
    renderArithmatex(document);
    renderNotebooks(document);
    document.documentElement.dataset.mathRendered = "1";
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(renderAll);
  } else {
    document.addEventListener("DOMContentLoaded", renderAll);
  }
})();
