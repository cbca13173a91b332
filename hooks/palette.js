// The light/dark switch, run as the header ends (hooks/theme_start.py writes it in with the palettes filled in).
// The theme's own script is kept away from the switch because it recalculated the style of the
// whole page on every load; this does the same job with no read of a computed style.
(function () {
  var palettes = /*PALETTES*/; // [{color: {media, scheme, primary, accent}, meta: {...}}], mkdocs.yml order
  var KEY = "__palette"; // the theme's key and format: its line before this one restores a stored choice
  var metas = {};
  var current = 0;

  function inputs() { return document.querySelectorAll('input[name="' + KEY + '"]'); }

  function apply(index) {
    var palette = palettes[index];
    current = index;
    var input = inputs()[index];
    if (input) input.checked = true; // so a tap on the other label is a change
    for (var key in palette.color) document.body.setAttribute("data-md-color-" + key, palette.color[key]);
    for (var name in palette.meta) {
      if (!metas[name]) {
        metas[name] = document.createElement("meta");
        metas[name].name = name;
        document.head.appendChild(metas[name]);
      }
      metas[name].content = palette.meta[name];
    }
  }

  function matching() { // the theme's rule: the first palette whose media query holds
    for (var i = 0; i < palettes.length; i++) if (matchMedia(palettes[i].color.media).matches) return i;
    return 0;
  }

  function stored() {
    var choice = __md_get(KEY);
    return choice && typeof choice.index === "number" && palettes[choice.index] ? choice.index : null;
  }

  function switchTo(index) { // on a page already drawn: no colour transitions (the theme's CSS)
    document.body.setAttribute("data-md-color-switching", "");
    apply(index);
    requestAnimationFrame(function () {
      requestAnimationFrame(function () { document.body.removeAttribute("data-md-color-switching"); });
    });
  }

  apply(stored() === null ? matching() : stored());
  palettes.forEach(function (palette) { // while the reader has not chosen, follow the system
    matchMedia(palette.color.media).addEventListener("change", function () { // each query that flips calls
      var index = matching();
      if (stored() === null && index !== current) switchTo(index);
    });
  });

  window.addEventListener("pageshow", function (event) { // back from the cache: a choice made since
    if (event.persisted) switchTo(stored() === null ? matching() : stored());
  });

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.name !== KEY) return;
    var index = +input.getAttribute("data-dlh-palette");
    switchTo(index);
    __md_set(KEY, {index: index, color: palettes[index].color});
  });
  document.addEventListener("keydown", function (event) { // the theme's rule: Enter moves to the next palette
    if (event.key !== "Enter" || event.target.name !== KEY) return;
    var next = inputs()[(current + 1) % palettes.length];
    next.click();
    next.focus();
  });
})();
