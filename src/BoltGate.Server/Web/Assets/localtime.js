// Shows every <time data-local datetime="..."> in the viewer's own time zone (the server writes UTC).
(function () {
  var format = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });
  function localize(root) {
    root.querySelectorAll("time[data-local]").forEach(function (t) {
      var d = new Date(t.getAttribute("datetime"));
      if (!isNaN(d)) { t.textContent = format.format(d); t.title = t.getAttribute("datetime"); }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { localize(document); });
  document.addEventListener("htmx:afterSwap", function (e) { localize(e.target); });
  document.addEventListener("htmx:afterSettle", function (e) { localize(e.target); });
})();
