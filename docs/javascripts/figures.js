/* Figures on a phone: a figure drawn for a 7.2-inch column is shown at about half size on a 390 px
 * screen, where its labels are ~6 px. Tapping such a figure shows it at its own size (7.5 pt, the
 * smallest text any figure uses, is then 10 CSS px) in a box that scrolls sideways; tapping again
 * shrinks it back. Figures already shown at their own size are left alone.
 */
(() => {
  "use strict";

  function shrunk(img) {
    const natural = img.naturalWidth;
    return natural > 0 && img.getBoundingClientRect().width > 0 && img.getBoundingClientRect().width < natural * 0.95;
  }

  function setup() {
    for (const figure of document.querySelectorAll(".dlh-figure")) {
      if (figure.dataset.zoomReady) continue;
      figure.dataset.zoomReady = "1";
      const box = figure.querySelector(":scope > p");
      if (!box) continue;
      const mark = () => {
        const img = [...box.querySelectorAll("img")].find(i => i.getBoundingClientRect().width > 0);
        figure.classList.toggle("dlh-figure--zoomable", !!img && (shrunk(img) || figure.classList.contains("dlh-figure--zoomed")));
      };
      box.querySelectorAll("img").forEach(img => img.complete ? mark() : img.addEventListener("load", mark));
      window.addEventListener("resize", mark, {passive: true});
      box.addEventListener("click", () => {
        if (!figure.classList.contains("dlh-figure--zoomable")) return;
        const zoomed = figure.classList.toggle("dlh-figure--zoomed");
        box.setAttribute("aria-expanded", String(zoomed));
        if (!zoomed) box.scrollLeft = 0;
      });
      box.setAttribute("role", "button");
      box.setAttribute("aria-label", "放大或缩小这张图");
      box.tabIndex = 0;
      box.addEventListener("keydown", ev => {
        if (ev.key === "Enter" || ev.key === " ") {
          ev.preventDefault();
          box.click();
        }
      });
    }
  }

  setup();
  if (window.document$) window.document$.subscribe(setup);
})();
