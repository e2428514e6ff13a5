/* 精益党建看板: the lobby's big screen. Shows one panel at a time, in turn; keeps the clock;
   reloads the page when the site has been rebuilt (screen/version.json changed).
   Local only: it fetches nothing but version.json from the same site.
   ?seconds=N shows each panel for N seconds; ?poll=N checks version.json every N seconds. */
(function () {
  "use strict";
  var root = document.querySelector(".dj-screen");
  if (!root) { return; }
  var panels = Array.prototype.slice.call(root.querySelectorAll(".dj-screen-panel"));
  var dots = Array.prototype.slice.call(root.querySelectorAll(".dj-screen-dots li"));
  var bar = root.querySelector(".dj-screen-progress span");
  var clock = root.querySelector("[data-clock]");
  var params = new URLSearchParams(window.location.search);

  function seconds(name, fallback) {
    var value = parseFloat(params.get(name));
    return value > 0 ? value : fallback;
  }

  var interval = seconds("seconds", parseFloat(root.getAttribute("data-seconds")) || 15);
  var current = 0;

  function show(index) {
    current = (index + panels.length) % panels.length;
    panels.forEach(function (panel, k) {
      var on = k === current;
      panel.classList.toggle("is-active", on);
      panel.hidden = !on;
    });
    dots.forEach(function (dot, k) { dot.classList.toggle("is-active", k === current); });
    root.setAttribute("data-current", panels[current].getAttribute("data-panel"));
    if (bar) {
      bar.classList.remove("is-running");
      void bar.offsetWidth; // restart the animation
      bar.style.animationDuration = interval + "s";
      bar.classList.add("is-running");
    }
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function tick() {
    if (!clock) { return; }
    var now = new Date();
    var week = "日一二三四五六".charAt(now.getDay());
    clock.textContent = now.getFullYear() + "年" + (now.getMonth() + 1) + "月" + now.getDate() + "日 星期" + week +
      " " + pad(now.getHours()) + ":" + pad(now.getMinutes());
  }

  var versionUrl = root.getAttribute("data-version");
  var known = null;
  function poll() {
    if (!versionUrl || !window.fetch) { return; }
    window.fetch(versionUrl, { cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || !data.version) { return; }
        if (known === null) { known = data.version; }
        else if (data.version !== known) { window.location.reload(); }
      })
      .catch(function () { /* the server is being updated: try again next time */ });
  }

  if (panels.length) {
    show(0);
    window.setInterval(function () { show(current + 1); }, interval * 1000);
  }
  tick();
  window.setInterval(tick, 10 * 1000);
  poll();
  window.setInterval(poll, seconds("poll", 60) * 1000);
})();
