/*
 * dossier — the default theme's script.
 *
 * Every page is complete without it. It adds two things:
 *   1. sort buttons on the actor and place indexes (by mentions, the order
 *      the page is built in, or by name);
 *   2. the search page, which queries the static index that
 *      `dossier build` writes to search/, so search works on any
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

  // The index is dossier's own (its format is described in docs/output.md):
  // search/meta.json says how the index is cut and how words are normalised,
  // terms/<key>.json map words to the briefings that use them, filter/<facet>.json
  // map filter values to briefings, and docs/<n>.json hold what a result shows.
  // A query fetches only the files it needs, each once.

  var INDEX_VERSION = 1;
  // Ranking: BM25's term-frequency saturation, without length normalisation,
  // and a word in the title counts as this many extra occurrences.
  var K1 = 1.2;
  var TITLE_BOOST = 3;

  // Letters and digits, as Rust's char::is_alphanumeric() sees them. Built at
  // run time so that a browser without Unicode property escapes still runs
  // the rest of this script (and searches ASCII text).
  var NOT_WORD = unicodeRegExp("[^\\p{Alphabetic}\\p{N}]+", "", /[^A-Za-z0-9\u00c0-\u024f]+/);
  var WORD_RUN = unicodeRegExp("[\\p{Alphabetic}\\p{N}\\u0300-\\u036f]+", "g", /[A-Za-z0-9\u00c0-\u024f\u0300-\u036f]+/g);
  var MARKS = /[\u0300-\u036f]/g;

  function unicodeRegExp(source, flags, fallback) {
    try {
      return new RegExp(source, flags + "u");
    } catch (e) {
      return fallback;
    }
  }

  function hasOwn(object, key) {
    return Object.prototype.hasOwnProperty.call(object, key);
  }

  // The terms of `text`, exactly as `dossier build` cuts them (see
  // normalise_into in src/render/search.rs): decomposed, lowercased, accents
  // dropped, a few letters folded, split on anything but letters and digits;
  // words of one character and stop words left out, long words cut.
  function termsOf(text, meta) {
    var lowered = String(text).normalize("NFD").toLowerCase().replace(MARKS, "");
    var folded = "";
    for (var ch of lowered) {
      folded += hasOwn(meta.folds, ch) ? meta.folds[ch] : ch;
    }
    var terms = [];
    folded.split(NOT_WORD).forEach(function (word) {
      var chars = Array.from(word);
      if (chars.length < 2) return;
      if (chars.length > meta.max_term) word = chars.slice(0, meta.max_term).join("");
      if (meta.stop.indexOf(word) !== -1) return;
      terms.push(word);
    });
    return terms;
  }

  // The shard holding `term`: the hex of the UTF-8 bytes of its first two characters.
  function shardKey(term) {
    var bytes = new TextEncoder().encode(Array.from(term).slice(0, 2).join(""));
    var hex = "";
    for (var i = 0; i < bytes.length; i++) {
      hex += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    }
    return hex;
  }

  // Doc id -> score for one term's postings (`gap * 16 + title * 8 + min(tf, 7)`).
  function scorePostings(list, docs, into) {
    var df = list.length;
    var idf = Math.log(1 + (docs - df + 0.5) / (df + 0.5));
    var doc = 0;
    for (var i = 0; i < list.length; i++) {
      var posting = list[i];
      doc += Math.floor(posting / 16);
      var weight = posting % 16;
      var tf = (weight % 8) + (weight >= 8 ? TITLE_BOOST : 0);
      var score = (idf * tf * (K1 + 1)) / (tf + K1);
      var old = into.get(doc);
      if (old === undefined || old < score) into.set(doc, score);
    }
    return into;
  }

  // Gap-encoded doc ids back to ids.
  function decodeIds(gaps) {
    var ids = [];
    var doc = 0;
    for (var i = 0; i < gaps.length; i++) {
      doc += gaps[i];
      ids.push(doc);
    }
    return ids;
  }

  // Appends `text` to `target` as text nodes, with the words that match the
  // query wrapped in <mark>. The index's text never becomes markup.
  function appendHighlighted(target, text, matches, meta) {
    var last = 0;
    var found;
    WORD_RUN.lastIndex = 0;
    while ((found = WORD_RUN.exec(text)) !== null) {
      if (!termsOf(found[0], meta).some(matches)) continue;
      if (found.index > last) {
        target.appendChild(document.createTextNode(text.slice(last, found.index)));
      }
      var mark = document.createElement("mark");
      mark.textContent = found[0];
      target.appendChild(mark);
      last = found.index + found[0].length;
    }
    if (last < text.length) target.appendChild(document.createTextNode(text.slice(last)));
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

    var metaPromise = null;
    var files = {};
    var generation = 0;
    var results = [];
    var matches = null;
    var shown = 0;
    var timer = 0;

    // meta.json is revalidated on every page load; the other files carry its
    // content hash in their address, so a new build is never mixed with an old one.
    function loadMeta() {
      if (!metaPromise) {
        metaPromise = fetch(base + "search/meta.json", { cache: "no-cache" })
          .then(function (response) {
            if (!response.ok) throw new Error("search/meta.json: " + response.status);
            return response.json();
          })
          .then(function (meta) {
            if (!meta || meta.version !== INDEX_VERSION) throw new Error("unknown index version");
            return meta;
          });
        // A failed load is not cached: the next search tries again.
        metaPromise.catch(function () {
          metaPromise = null;
        });
      }
      return metaPromise;
    }

    function loadFile(meta, path) {
      if (!files[path]) {
        files[path] = fetch(base + "search/" + path + "?v=" + encodeURIComponent(meta.hash)).then(
          function (response) {
            if (!response.ok) throw new Error("search/" + path + ": " + response.status);
            return response.json();
          }
        );
        files[path].catch(function () {
          delete files[path];
        });
      }
      return files[path];
    }

    // Doc id -> score for every briefing that has `term` (or, for the last
    // word, any term that starts with it: the best of them counts).
    function termScores(meta, term, prefix) {
      var key = shardKey(term);
      if (meta.shards.indexOf(key) === -1) return Promise.resolve(new Map());
      return loadFile(meta, "terms/" + key + ".json").then(function (shard) {
        var scores = new Map();
        if (prefix) {
          Object.keys(shard).forEach(function (candidate) {
            if (candidate.lastIndexOf(term, 0) === 0) scorePostings(shard[candidate], meta.docs, scores);
          });
        } else if (hasOwn(shard, term)) {
          scorePostings(shard[term], meta.docs, scores);
        }
        return scores;
      });
    }

    function facetIds(meta, name, value) {
      if (meta.facets.indexOf(name) === -1) return Promise.resolve(new Set());
      return loadFile(meta, "filter/" + name + ".json").then(function (facet) {
        return new Set(hasOwn(facet, value) ? decodeIds(facet[value]) : []);
      });
    }

    // The matching doc ids, best first: every word must match (the last one as
    // a prefix) and every filter too. Without words, newest first: ids follow
    // the briefing order, which is by date.
    function findDocs(meta, terms, filters) {
      var words = terms.map(function (term, i) {
        return termScores(meta, term, i === terms.length - 1);
      });
      var sets = Object.keys(filters).map(function (name) {
        return facetIds(meta, name, filters[name][0]);
      });
      return Promise.all([Promise.all(words), Promise.all(sets)]).then(function (loaded) {
        var scores = loaded[0];
        var allowed = loaded[1];
        var keep = function (id) {
          return allowed.every(function (set) {
            return set.has(id);
          });
        };
        if (scores.length === 0) {
          if (allowed.length === 0) return [];
          var smallest = allowed.slice().sort(function (a, b) {
            return a.size - b.size;
          })[0];
          return Array.from(smallest)
            .filter(keep)
            .sort(function (a, b) {
              return a - b;
            });
        }
        scores.sort(function (a, b) {
          return a.size - b.size;
        });
        var ranked = [];
        scores[0].forEach(function (score, id) {
          if (!keep(id)) return;
          for (var i = 1; i < scores.length; i++) {
            var other = scores[i].get(id);
            if (other === undefined) return;
            score += other;
          }
          ranked.push({ id: id, score: score });
        });
        ranked.sort(function (a, b) {
          return b.score - a.score || a.id - b.id;
        });
        return ranked.map(function (r) {
          return r.id;
        });
      });
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

    // One result from its docs entry: [url, title, date, dateline, excerpt].
    function renderResult(doc, meta) {
      var item = document.createElement("li");
      item.className = "result";

      var title = document.createElement("h2");
      title.className = "result-title";
      var link = document.createElement("a");
      link.href = base + String(doc[0] || "");
      link.textContent = doc[1] || doc[0] || "";
      title.appendChild(link);
      item.appendChild(title);

      var line = [doc[3], doc[2]].filter(Boolean).join(" \u00b7 ");
      if (line) {
        var metaLine = document.createElement("p");
        metaLine.className = "result-meta";
        metaLine.textContent = line;
        item.appendChild(metaLine);
      }

      if (doc[4]) {
        var excerpt = document.createElement("p");
        excerpt.className = "result-excerpt";
        appendHighlighted(excerpt, String(doc[4]), matches, meta);
        item.appendChild(excerpt);
      }
      return item;
    }

    // Shows the next page of results, fetching only the docs files it needs.
    function showMore() {
      var mine = generation;
      var batch = results.slice(shown, shown + RESULTS_PER_PAGE);
      return loadMeta().then(function (meta) {
        var chunks = [];
        batch.forEach(function (id) {
          var chunk = Math.floor(id / meta.chunk);
          if (chunks.indexOf(chunk) === -1) chunks.push(chunk);
        });
        return Promise.all(
          chunks.map(function (chunk) {
            return loadFile(meta, "docs/" + chunk + ".json");
          })
        ).then(function (loaded) {
          if (mine !== generation) return;
          batch.forEach(function (id) {
            var docs = loaded[chunks.indexOf(Math.floor(id / meta.chunk))];
            var doc = docs && docs[id % meta.chunk];
            if (doc) list.appendChild(renderResult(doc, meta));
          });
          shown += batch.length;
          more.hidden = shown >= results.length;
        });
      });
    }

    function clearResults() {
      results = [];
      shown = 0;
      list.textContent = "";
      more.hidden = true;
    }

    function failed(mine) {
      if (mine !== generation) return;
      clearResults();
      status.textContent =
        "Search is not available: the search index could not be loaded. " +
        "It is written by dossier build; browsers refuse to load it from pages opened " +
        "directly from disk, so serve the site (dossier serve) to search it.";
    }

    function run() {
      window.clearTimeout(timer);
      var mine = ++generation;
      var text = input.value.trim();
      var filters = currentFilters();
      syncUrl(text, filters);

      if (!text && Object.keys(filters).length === 0) {
        clearResults();
        status.textContent = "";
        return;
      }
      status.textContent = "Searching\u2026";

      loadMeta()
        .then(function (meta) {
          // Each word once; a repeated word keeps its last place, so the word
          // being typed stays the prefix. Words that cannot be terms (one
          // letter, stop words) narrow nothing.
          var terms = termsOf(text, meta).filter(function (term, i, all) {
            return all.lastIndexOf(term) === i;
          });
          var last = terms.length - 1;
          return findDocs(meta, terms, filters).then(function (ids) {
            if (mine !== generation) return;
            clearResults();
            results = ids;
            matches = function (word) {
              return terms.some(function (term, i) {
                return i === last ? word.lastIndexOf(term, 0) === 0 : word === term;
              });
            };
            var what = describe(text, filters);
            if (results.length === 0) {
              status.textContent = "No briefings found" + what + ".";
              return;
            }
            // The count is shown with the first results, not before them.
            return showMore().then(function () {
              if (mine !== generation) return;
              status.textContent =
                results.length + (results.length === 1 ? " briefing" : " briefings") + " found" + what + ".";
            });
          });
        })
        .catch(function () {
          failed(mine);
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
      showMore().catch(function () {
        failed(generation);
      });
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
