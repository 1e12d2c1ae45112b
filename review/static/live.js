// Live updates of the staff page: the server says when something changed
// (server-sent events from /live); then the parts of this page marked
// data-live are fetched again and swapped in. No reload: what a staff
// member is typing stays where it is. Without JavaScript the page works
// the same, it is just not live.
(function () {
  "use strict";
  if (!window.EventSource) return;
  var busy = false, again = false;

  function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    fetch(window.location.href, { credentials: "same-origin", headers: { "X-Live": "1" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html");
        document.querySelectorAll("[data-live]").forEach(function (part) {
          var next = fresh.getElementById(part.id);
          if (next) part.replaceWith(document.importNode(next, true));
        });
        document.body.dataset.version = fresh.body.dataset.version || document.body.dataset.version;
        document.body.dataset.refreshed = String(Date.now());
      })
      .catch(function () { /* the next change tries again */ })
      .finally(function () {
        busy = false;
        if (again) { again = false; refresh(); }
      });
  }

  var source = new EventSource("/live");
  source.addEventListener("change", function (event) {
    if (event.data !== document.body.dataset.version) refresh();
  });
})();
