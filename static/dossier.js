/*
 * dossier — the default theme's script.
 *
 * Every page is complete without it. It adds two things:
 *   1. sort buttons on the actor and place indexes (by mentions, the order
 *      the page is built in, or by name);
 *   2. the search page, which queries the Pagefind index that
 *      `dossier build` writes next to the site, so search works on any
 *      static host without a server.
 * No dependencies, no build step.
 */
(function () {
  "use strict";

  var RESULTS_PER_PAGE = 20;

  function ready(fn) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", fn);
    } else {
      fn();
    }
  }

  function forEach(list, fn) {
    Array.prototype.forEach.call(list, fn);
  }

  /* 1. Sorting the indexes ---------------------------------------------- */

  function initSorting() {
    var controls = document.querySelector("[data-sort-controls]");
    var tables = document.querySelectorAll("table[data-sortable]");
    if (!controls || tables.length === 0) return;

    var collator = new Intl.Collator(document.documentElement.lang || undefined, {
      sensitivity: "base",
      numeric: true
    });
    var buttons = controls.querySelectorAll("button[data-sort]");

    // Remember the built order: it is the mentions order, and its ties
    // are already settled by the generator.
    forEach(tables, function (table) {
      forEach(table.tBodies[0] ? table.tBodies[0].rows : [], function (row, i) {
        row.dataset.order = String(i);
      });
    });

    function sortBy(key) {
      forEach(tables, function (table) {
        var body = table.tBodies[0];
        if (!body) return;
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          if (key === "name") {
            return collator.compare(a.dataset.name || "", b.dataset.name || "");
          }
          return Number(a.dataset.order) - Number(b.dataset.order);
        });
        rows.forEach(function (row) {
          body.appendChild(row);
        });
        var heads = table.tHead ? table.tHead.rows[0].cells : [];
        forEach(heads, function (th, i) {
          th.removeAttribute("aria-sort");
          if (key === "name" && i === 0) th.setAttribute("aria-sort", "ascending");
          if (key === "mentions" && i === 1) th.setAttribute("aria-sort", "descending");
        });
      });
      forEach(buttons, function (button) {
        button.setAttribute("aria-pressed", String(button.dataset.sort === key));
      });
    }

    forEach(buttons, function (button) {
      button.addEventListener("click", function () {
        var key = button.dataset.sort;
        sortBy(key);
        var url = new URL(window.location.href);
        if (key === "name") {
          url.searchParams.set("sort", "name");
        } else {
          url.searchParams.delete("sort");
        }
        window.history.replaceState(null, "", url.pathname + url.search + url.hash);
      });
    });

    controls.hidden = false;
    var wanted = new URLSearchParams(window.location.search).get("sort");
    sortBy(wanted === "name" ? "name" : "mentions");
  }

  /* 2. Search ----------------------------------------------------------- */

  // Copies the text of a Pagefind excerpt into `target`, keeping only the
  // <mark> elements that highlight the matched words. Nothing else from
  // the excerpt becomes markup.
  function appendExcerpt(target, html) {
    var template = document.createElement("template");
    template.innerHTML = html || "";
    (function copy(from, to) {
      forEach(from.childNodes, function (node) {
        if (node.nodeType === Node.TEXT_NODE) {
          to.appendChild(document.createTextNode(node.nodeValue));
        } else if (node.nodeType === Node.ELEMENT_NODE) {
          if (node.nodeName === "MARK") {
            var mark = document.createElement("mark");
            copy(node, mark);
            to.appendChild(mark);
          } else {
            copy(node, to);
          }
        }
      });
    })(template.content, target);
  }

  function initSearch() {
    var form = document.getElementById("search-form");
    if (!form) return;

    var base = document.body.dataset.base || "/";
    var input = form.elements.namedItem("q");
    var selects = {
      actor: form.elements.namedItem("actor"),
      kind: form.elements.namedItem("kind"),
      place: form.elements.namedItem("place")
    };
    var status = document.getElementById("search-status");
    var list = document.getElementById("search-results");
    var more = document.getElementById("search-more");

    var pagefind = null;
    var generation = 0;
    var results = [];
    var shown = 0;
    var timer = 0;

    function loadPagefind() {
      if (!pagefind) {
        pagefind = import(base + "pagefind/pagefind.js").then(function (pf) {
          return Promise.resolve(pf.options({ baseUrl: base })).then(function () {
            return pf;
          });
        });
        // A failed load is not cached: the next search tries again.
        pagefind.catch(function () {
          pagefind = null;
        });
      }
      return pagefind;
    }

    function currentFilters() {
      var filters = {};
      Object.keys(selects).forEach(function (name) {
        var select = selects[name];
        if (select && select.value) filters[name] = [select.value];
      });
      return filters;
    }

    function describe(query, filters) {
      var parts = [];
      if (query) parts.push("for \u201c" + query + "\u201d");
      var named = [];
      if (filters.actor) named.push(filters.actor[0]);
      if (filters.place) named.push(filters.place[0]);
      if (named.length) parts.push("mentioning " + named.join(" and "));
      if (filters.kind) parts.push("with an actor of kind \u201c" + filters.kind[0] + "\u201d");
      return parts.length ? " " + parts.join(", ") : "";
    }

    function syncUrl(query, filters) {
      var params = new URLSearchParams();
      if (query) params.set("q", query);
      Object.keys(filters).forEach(function (name) {
        params.set(name, filters[name][0]);
      });
      var search = params.toString();
      window.history.replaceState(null, "", window.location.pathname + (search ? "?" + search : ""));
    }

    function renderResult(data) {
      var item = document.createElement("li");
      item.className = "result";

      var title = document.createElement("h2");
      title.className = "result-title";
      var link = document.createElement("a");
      link.href = data.url;
      link.textContent = (data.meta && data.meta.title) || data.url;
      title.appendChild(link);
      item.appendChild(title);

      var meta = data.meta || {};
      var line = [meta.dateline, meta.date].filter(Boolean).join(" \u00b7 ");
      if (line) {
        var metaLine = document.createElement("p");
        metaLine.className = "result-meta";
        metaLine.textContent = line;
        item.appendChild(metaLine);
      }

      if (data.excerpt) {
        var excerpt = document.createElement("p");
        excerpt.className = "result-excerpt";
        appendExcerpt(excerpt, data.excerpt);
        item.appendChild(excerpt);
      }
      return item;
    }

    function showMore() {
      var mine = generation;
      var batch = results.slice(shown, shown + RESULTS_PER_PAGE);
      return Promise.all(
        batch.map(function (result) {
          return result.data();
        })
      ).then(function (datas) {
        if (mine !== generation) return;
        datas.forEach(function (data) {
          list.appendChild(renderResult(data));
        });
        shown += batch.length;
        more.hidden = shown >= results.length;
      });
    }

    function clearResults() {
      results = [];
      shown = 0;
      list.textContent = "";
      more.hidden = true;
    }

    function run() {
      window.clearTimeout(timer);
      var mine = ++generation;
      var query = input.value.trim();
      var filters = currentFilters();
      syncUrl(query, filters);

      if (!query && Object.keys(filters).length === 0) {
        clearResults();
        status.textContent = "";
        return;
      }
      status.textContent = "Searching\u2026";

      loadPagefind()
        .then(function (pf) {
          return pf.search(query || null, { filters: filters });
        })
        .then(function (search) {
          // Pagefind answers null for a search it has superseded.
          if (mine !== generation || !search) return;
          clearResults();
          results = search.results || [];
          var what = describe(query, filters);
          if (results.length === 0) {
            status.textContent = "No briefings found" + what + ".";
            return;
          }
          status.textContent =
            results.length + (results.length === 1 ? " briefing" : " briefings") + " found" + what + ".";
          return showMore();
        })
        .catch(function () {
          if (mine !== generation) return;
          clearResults();
          status.textContent =
            "Search is not available: the search index could not be loaded. " +
            "It is written by dossier build; browsers refuse to load it from pages opened " +
            "directly from disk, so serve the site (dossier serve) to search it.";
        });
    }

    // Filters and words from the address, so other pages can link to a
    // prepared search such as ?actor=Turkey.
    var params = new URLSearchParams(window.location.search);
    input.value = params.get("q") || "";
    Object.keys(selects).forEach(function (name) {
      var select = selects[name];
      var value = params.get(name);
      if (!select || !value) return;
      var known = Array.prototype.some.call(select.options, function (option) {
        return option.value === value;
      });
      if (!known) {
        var option = document.createElement("option");
        option.value = value;
        option.textContent = value;
        select.appendChild(option);
      }
      select.value = value;
    });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      run();
    });
    form.addEventListener("reset", function () {
      // The fields are cleared after this event; search once they are.
      window.setTimeout(run, 0);
    });
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(run, 250);
    });
    Object.keys(selects).forEach(function (name) {
      if (selects[name]) selects[name].addEventListener("change", run);
    });
    more.addEventListener("click", function () {
      showMore();
    });

    if (input.value || Object.keys(currentFilters()).length) {
      run();
    } else {
      input.focus();
    }
  }

  ready(function () {
    initSorting();
    initSearch();
  });
})();
