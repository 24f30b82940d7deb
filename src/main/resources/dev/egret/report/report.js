"use strict";
(function () {
  // Collapsed sections keep their body in a template element; it joins the page when first opened.
  document.addEventListener("toggle", function (e) {
    var d = e.target;
    if (!d.open || !d.classList || !d.classList.contains("lazy") || d.dataset.filled) return;
    var t = d.querySelector(":scope > template");
    if (t) d.appendChild(t.content.cloneNode(true));
    d.dataset.filled = "1";
  }, true);

  var pages = Array.prototype.slice.call(document.querySelectorAll("#hosts .page"));
  var pager = document.getElementById("pager");
  var filter = document.getElementById("filter");
  function show(n) {
    pages.forEach(function (p, i) { p.hidden = i !== n; });
    if (!pager) return;
    Array.prototype.forEach.call(pager.children, function (b, i) {
      if (i === n) b.setAttribute("aria-current", "page"); else b.removeAttribute("aria-current");
    });
  }
  if (pager && pages.length > 1) {
    pages.forEach(function (p, i) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = "page " + (i + 1);
      b.addEventListener("click", function () { show(i); });
      pager.appendChild(b);
    });
  }
  show(0);

  // #hN (links from the anomaly, blocked and review tables) and ?open=hN open host N's section.
  function openHost(id, scroll) {
    if (!/^h[0-9]+$/.test(id || "")) return;
    var d = document.getElementById(id);
    if (!d) return;
    var page = d.closest(".page");
    if (page) show(pages.indexOf(page));
    d.hidden = false;
    d.open = true;
    if (scroll) d.scrollIntoView();
  }
  function openHash() { openHost(location.hash.slice(1), true); }
  window.addEventListener("hashchange", openHash);
  openHost(new URLSearchParams(location.search).get("open"), false);
  openHash();
  if (filter) {
    filter.addEventListener("input", function () {
      var q = filter.value.trim().toLowerCase();
      if (!q) { pages.forEach(function (p) { p.querySelectorAll("details.host").forEach(function (d) { d.hidden = false; }); }); show(0); return; }
      pages.forEach(function (p) {
        p.hidden = false;
        p.querySelectorAll("details.host").forEach(function (d) {
          d.hidden = d.dataset.key.toLowerCase().indexOf(q) < 0;
        });
      });
    });
  }
})();
