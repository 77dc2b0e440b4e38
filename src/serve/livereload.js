// Live reload for `dossier serve`. Added to HTML pages by the server only, never
// to `dossier build` output. It follows the server's event stream: `reload` after
// a good build, `css` when only stylesheets changed, `error` with the report of a
// failed build, shown over the page until the next good build reloads it.
(function () {
  "use strict";
  var script = document.currentScript;
  var since = (script && script.getAttribute("data-since")) || "";
  var overlayId = "dossier-live-error";

  function showError(report) {
    var box = document.getElementById(overlayId);
    if (!box) {
      box = document.createElement("div");
      box.id = overlayId;
      box.setAttribute("role", "alert");
      box.style.cssText =
        "position:fixed;inset:0;z-index:2147483647;overflow:auto;box-sizing:border-box;" +
        "margin:0;padding:2rem;background:rgba(24,24,28,0.95);color:#f1f1f1;" +
        "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;text-align:left;";
      var title = document.createElement("p");
      title.style.cssText = "margin:0 0 1rem;font-weight:bold;color:#ff9e8f;";
      title.textContent =
        "dossier: the last build failed. The site you see is the last good build; fix the error and save.";
      var pre = document.createElement("pre");
      pre.style.cssText = "margin:0;white-space:pre-wrap;font:inherit;";
      box.appendChild(title);
      box.appendChild(pre);
      (document.body || document.documentElement).appendChild(box);
    }
    // textContent, never innerHTML: the report quotes the user's files.
    box.querySelector("pre").textContent = report;
  }

  function swapStylesheets(version) {
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      var url = new URL(links[i].href, location.href);
      if (url.origin !== location.origin) {
        continue;
      }
      url.searchParams.set("v", "live-" + version);
      links[i].href = url.pathname + url.search;
    }
  }

  function connect() {
    var source = new EventSource("/__dossier/events?since=" + encodeURIComponent(since));
    source.addEventListener("reload", function () {
      source.close();
      location.reload();
    });
    source.addEventListener("css", function (event) {
      var box = document.getElementById(overlayId);
      if (box) {
        box.remove();
      }
      swapStylesheets(event.data);
      // Follow the stream from the new build on, so that reconnecting later does
      // not count this page as out of date.
      since = event.data;
      source.close();
      connect();
    });
    source.addEventListener("error", function (event) {
      // The stream's own connection errors are plain events without data; the
      // browser reconnects by itself and the server then says what was missed.
      if (typeof event.data === "string" && event.data.length > 0) {
        showError(event.data);
      }
    });
  }

  if (window.EventSource) {
    connect();
  }
})();
