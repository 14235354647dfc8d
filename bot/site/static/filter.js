// Filtering for the mapping table. The page works without this file: the
// whole table is in the HTML. This only hides rows that do not match, keeps
// the count up to date (announced to screen readers through role="status"),
// and mirrors the filters in the address so a filtered view can be shared.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var count = document.getElementById("count");
  var none = document.getElementById("no-results");
  if (!form || !count) return;
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-entry]"));
  var groups = Array.prototype.slice.call(document.querySelectorAll("tbody[data-issue-group]"));
  var sections = Array.prototype.slice.call(document.querySelectorAll("section.cluster"));
  var extras = Array.prototype.slice.call(document.querySelectorAll("tr.also, tr.empty"));
  var q = form.elements.q, issue = form.elements.issue, scope = form.elements.scope, group = form.elements.group;
  var total = rows.length;
  var texts = null; // lower-case text of each row, built on the first search

  function words(value) { return value ? value.split(" ") : []; }
  var data = rows.map(function (row) {
    return {
      row: row,
      issues: words(row.getAttribute("data-issues")),
      scope: row.getAttribute("data-scope"),
      groups: words(row.getAttribute("data-groups"))
    };
  });

  function fold(s) {
    s = s.toLowerCase();
    return s.normalize ? s.normalize("NFD").replace(/[\u0300-\u036f]/g, "") : s;
  }

  function apply(updateAddress) {
    var terms = fold(q.value).split(/\s+/).filter(Boolean);
    if (terms.length && !texts) texts = data.map(function (d) { return fold(d.row.textContent); });
    var filtering = terms.length || issue.value || scope.value || group.value;
    var shown = 0;
    data.forEach(function (d, i) {
      var ok = (!issue.value || d.issues.indexOf(issue.value) >= 0) &&
        (!scope.value || d.scope === scope.value) &&
        (!group.value || d.groups.indexOf(group.value) >= 0) &&
        terms.every(function (t) { return texts[i].indexOf(t) >= 0; });
      if (d.row.hidden === ok) d.row.hidden = !ok;
      if (ok) shown++;
    });
    extras.forEach(function (tr) { tr.hidden = !!filtering; });
    groups.forEach(function (tb) {
      tb.hidden = !!filtering && !tb.querySelector("tr[data-entry]:not([hidden])");
    });
    sections.forEach(function (s) {
      s.hidden = !!filtering && !s.querySelector("tbody[data-issue-group]:not([hidden])");
    });
    count.textContent = filtering
      ? "Showing " + shown + " of " + total + (total === 1 ? " mechanism." : " mechanisms.")
      : "Showing all " + total + (total === 1 ? " mechanism." : " mechanisms.");
    if (none) none.hidden = shown > 0;
    if (updateAddress && window.history && history.replaceState) {
      var params = new URLSearchParams();
      if (q.value) params.set("q", q.value);
      if (issue.value) params.set("issue", issue.value);
      if (scope.value) params.set("scope", scope.value);
      if (group.value) params.set("group", group.value);
      var s = params.toString();
      history.replaceState(null, "", s ? "?" + s : location.pathname);
    }
  }

  function choose(select, value) {
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === value) { select.value = value; return; }
    }
  }

  var params = new URLSearchParams(location.search);
  q.value = params.get("q") || "";
  choose(issue, params.get("issue") || "");
  choose(scope, params.get("scope") || "");
  choose(group, params.get("group") || "");

  var timer = null;
  q.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { apply(true); }, 150);
  });
  [issue, scope, group].forEach(function (el) { el.addEventListener("change", function () { apply(true); }); });
  form.addEventListener("submit", function (e) { e.preventDefault(); apply(true); });
  form.addEventListener("reset", function () { setTimeout(function () { apply(true); }, 0); });
  form.hidden = false;
  apply(false);
})();
