/* vitk2 web app: the little script the pages need (no inline scripts anywhere).
   - draws the Plotly charts whose figures sit in data-figure attributes;
   - replaces an item of the meal text by a suggestion the user clicks;
   - prints the page from a button; moves focus to new status messages. */
(function () {
  "use strict";

  function drawCharts(root) {
    if (typeof window.Plotly === "undefined") { return; }
    root.querySelectorAll("[data-chart]").forEach(function (element) {
      if (element.dataset.drawn) { return; }
      var spec = JSON.parse(element.dataset.figure);
      element.dataset.drawn = "1";
      window.Plotly.newPlot(element, spec.data, spec.layout, spec.config).then(function () {
        element.dataset.rendered = "1";
      });
    });
  }

  function useSuggestion(button) {
    var area = document.getElementById("meal-text");
    if (!area) { return; }
    var old = button.dataset.fixItem;
    var replacement = button.dataset.fixText;
    var at = old ? area.value.lastIndexOf(old) : -1;
    if (at >= 0) {
      area.value = area.value.slice(0, at) + replacement + area.value.slice(at + old.length);
    } else {
      area.value = area.value.trim() ? area.value.trim() + ", " + replacement : replacement;
    }
    area.dispatchEvent(new Event("input", { bubbles: true }));
    area.focus();
  }

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) { return; }
    var fix = target.closest("[data-fix-item]");
    if (fix) { event.preventDefault(); useSuggestion(fix); return; }
    if (target.closest("[data-print]")) { event.preventDefault(); window.print(); }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var root = event.detail && event.detail.elt ? event.detail.elt : document;
    drawCharts(document);
    var focus = root.querySelector ? root.querySelector("[data-autofocus]") : null;
    if (focus) { focus.focus(); }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { drawCharts(document); });
  } else {
    drawCharts(document);
  }
})();
