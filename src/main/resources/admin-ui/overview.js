// Overview: the received chart (uPlot, from its WebJar) and balances kept current from the live stream.
"use strict";
(function () {
  const palette = ["#3056d3", "#137a3c", "#c2410c", "#7c3aed", "#0e7490", "#be185d", "#4d7c0f", "#a16207"];
  let plot = null;
  function draw(which) {
    const data = JSON.parse(document.getElementById("chart-" + which).textContent);
    const step = data.unit === "minute" ? 60 : 86400;
    const now = Math.floor(Date.now() / 1000);
    const span = data.unit === "minute" ? 3600 : 30 * 86400;
    const xs = [];
    for (let t = Math.floor((now - span) / step) * step + step; t <= now; t += step) xs.push(t);
    const series = [{}];
    const columns = [xs];
    data.accounts.forEach(function (a, i) {
      const byTime = new Map(a.points.map(function (p) { return [p[0], Number(p[1])]; }));
      columns.push(xs.map(function (t) { return byTime.get(t) || 0; }));
      series.push({ label: a.name + " (" + a.asset_code + ")", stroke: palette[i % palette.length], width: 2, points: { show: false },
        fill: palette[i % palette.length] + "22" });
    });
    const el = document.getElementById("chart");
    el.replaceChildren();
    if (data.accounts.length === 0) {
      el.textContent = "Nothing received in this period.";
      el.className = "chart muted";
      return;
    }
    el.className = "chart";
    const width = Math.max(280, el.clientWidth);
    plot = new uPlot({ width: width, height: 260, series: series,
      axes: [{}, { size: 70 }], scales: { x: { time: true } } }, columns, el);
  }
  document.querySelectorAll(".seg button").forEach(function (b) {
    b.addEventListener("click", function () {
      document.querySelectorAll(".seg button").forEach(function (o) { o.classList.toggle("on", o === b); });
      draw(b.dataset.chart);
    });
  });
  window.addEventListener("resize", function () {
    if (plot) plot.setSize({ width: Math.max(280, document.getElementById("chart").clientWidth), height: 260 });
  });
  draw("hour");
  const source = new EventSource("/admin/ui/live/stream");
  source.addEventListener("connections", function (e) {
    JSON.parse(e.data).accounts.forEach(function (a) {
      const row = document.querySelector('#accounts tr[data-account="' + CSS.escape(a.name) + '"]');
      if (row) row.querySelector(".balance").textContent = a.balance;
    });
  });
})();
