/* Aduan: keep a part of a page fresh without a reload, and without losing the reader's place.
   An element with an id and data-refresh="<seconds>" is fetched again every so often (while
   the tab is visible) from the same address, page and filters included, and replaced by the
   element with the same id in the answer. The scroll position stays; the focus goes back to
   the element with the same id; a screen reader hears only when the list itself changed.
   Without JavaScript the page is the same, only not refreshed. */
(function () {
  "use strict";

  function keys(element) {
    return Array.prototype.map.call(element.querySelectorAll("[data-refresh-key]"), function (e) {
      return e.getAttribute("data-refresh-key");
    }).join(" ");
  }

  function refresh(element) {
    var focused = document.activeElement && element.contains(document.activeElement)
      ? document.activeElement.id : "";
    return fetch(window.location.href, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { "X-Aduan-Refresh": "1" }
    }).then(function (response) {
      // Signed out (the sign-in page) or an error: leave the page as it is.
      if (!response.ok || response.redirected) { return false; }
      return response.text().then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(element.id);
        if (!fresh) { return false; }
        var changed = keys(fresh) !== keys(element);
        element.innerHTML = fresh.innerHTML;
        if (focused) {
          var again = document.getElementById(focused);
          if (again) { again.focus({ preventScroll: true }); }
        }
        var status = document.getElementById(element.id + "-status");
        if (status && changed) {
          status.textContent = status.getAttribute("data-changed") || "";
        }
        return changed;
      });
    }).catch(function () { return false; });
  }

  function start(element) {
    var seconds = parseInt(element.getAttribute("data-refresh"), 10);
    if (!element.id || !(seconds > 0)) { return; }
    window.setInterval(function () {
      if (document.visibilityState === "visible") { refresh(element); }
    }, seconds * 1000);
  }

  // For tests and for a "refresh now" button: refresh every such element at once.
  window.aduanRefresh = function () {
    return Promise.all(Array.prototype.map.call(
      document.querySelectorAll("[data-refresh][id]"), refresh));
  };
  Array.prototype.forEach.call(document.querySelectorAll("[data-refresh][id]"), start);
})();
