// The partnership leads' dashboard, improved: the page already shows every figure in tables (rendered by the hub, so it
// works with JavaScript off). For each table marked data-chart, this draws the same numbers as a line chart above it
// with Chart.js (/assets/chart.umd.min.js, loaded before this script), reading them from the table's cells
// (data-value; empty for "no value"), so chart and table cannot disagree. Lines that overlap stay apart by more than
// colour: each series has its own point shape and dash pattern, and the rate axis reaches a little below 0 % and above
// 100 %, so a line all at 0 % or 100 % is drawn clear of the axis. body[data-state] becomes "ready" once every chart is drawn.
(() => {
  "use strict";

  if (typeof Chart !== "function") return; // the tables are the page; the charts are extra

  // Okabe–Ito: distinguishable with the common colour-vision deficiencies (yellow left out: too faint on white).
  const COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#000000", "#999999"];
  const POINTS = ["circle", "rect", "triangle", "rectRot", "crossRot", "star", "rectRounded", "cross"];
  const DASHES = [[], [8, 4], [2, 3], [12, 3, 3, 3], [4, 4], [1, 5], [16, 4], [6, 2, 2, 2]];

  const percent = new Intl.NumberFormat("en-GB", { style: "percent", maximumFractionDigits: 1 });
  const whole = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 0 });
  const oneDecimal = new Intl.NumberFormat("en-GB", { minimumFractionDigits: 1, maximumFractionDigits: 1 });

  const UNITS = {
    rate: {
      format: (v) => percent.format(v),
      scale: { min: -0.05, max: 1.05, afterBuildTicks: (axis) => { axis.ticks = [0, 0.25, 0.5, 0.75, 1].map((value) => ({ value })); } },
      inRange: (v) => v >= 0 && v <= 1,
    },
    count: { format: (v) => whole.format(v), scale: { beginAtZero: true, grace: "5%", ticks: { precision: 0 } }, inRange: (v) => v >= 0 },
    hours: { format: (v) => `${oneDecimal.format(v)} h`, scale: { beginAtZero: true, grace: "5%" }, inRange: (v) => v >= 0 },
  };

  const number = (text) => (text === undefined || text === "" ? null : Number(text));

  function read(table) {
    const series = [...table.tHead.querySelectorAll("th[data-series]")].map((th) => ({ key: th.dataset.series, label: th.textContent.trim() }));
    const rows = [...table.tBodies[0].rows];
    const labels = rows.map((row) => row.cells[0].textContent.trim());
    const data = series.map((_, i) => rows.map((row) => number(row.cells[i + 1].dataset.value)));
    return { series, labels, data };
  }

  function draw(table) {
    const holder = document.querySelector(`[data-chart-for="${table.id}"]`);
    if (!holder) return;
    const unit = UNITS[table.dataset.unit] ?? UNITS.count;
    const { series, labels, data } = read(table);
    const canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", `Line chart: ${table.caption.textContent.trim()}. The numbers are in the table below.`);
    holder.append(canvas);
    holder.hidden = false; // before drawing: Chart.js sizes the canvas from its (visible) container
    new Chart(canvas, {
      type: "line",
      data: {
        labels,
        datasets: series.map((s, i) => ({
          key: s.key,
          label: s.label,
          data: data[i],
          borderColor: COLOURS[i % COLOURS.length],
          backgroundColor: COLOURS[i % COLOURS.length],
          borderDash: DASHES[i % DASHES.length],
          pointStyle: POINTS[i % POINTS.length],
          // Where lines meet (two series both at 0), each later one is drawn beneath, wider and with a larger hollow
          // point, so it shows round the one above it rather than vanishing behind it.
          borderWidth: 2 + i * 1.5,
          pointRadius: 4 + i * 2,
          pointHoverRadius: 6 + i * 2,
          pointBorderWidth: 2,
          pointBackgroundColor: "#ffffff",
          spanGaps: false,
          clip: false,
        })),
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: "index", intersect: false },
        plugins: {
          legend: { position: "bottom", labels: { usePointStyle: true, padding: 16, color: "#0b0c0c" } },
          tooltip: {
            callbacks: {
              title: (items) => (items.length ? `Week starting ${labels[items[0].dataIndex]}` : ""),
              label: (item) => `${item.dataset.label}: ${item.raw == null ? "no value" : unit.format(item.raw)}`,
            },
          },
        },
        scales: {
          x: { grid: { display: false }, ticks: { color: "#0b0c0c", autoSkip: true, maxRotation: 0 } },
          y: {
            ...unit.scale,
            ticks: { ...unit.scale.ticks, color: "#0b0c0c", callback: (v) => (unit.inRange(v) ? unit.format(v) : "") },
          },
        },
      },
    });
  }

  Chart.defaults.font.family = getComputedStyle(document.querySelector(".govuk-body") ?? document.body).fontFamily;
  Chart.defaults.color = "#0b0c0c";
  Chart.defaults.font.size = 14;
  for (const table of document.querySelectorAll("table[data-chart]")) draw(table);
  requestAnimationFrame(() => { document.body.dataset.state = "ready"; });
})();
