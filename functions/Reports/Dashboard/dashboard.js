// The partnership leads' timeliness dashboard. The page carries no figures: this script fetches them from the
// timeliness endpoint under the page's own path (the token in the path is the credential), draws the charts with
// Chart.js (inlined before this script) and writes the same numbers into plain tables beneath each chart.
// Every value drawn is the server's own number (rates stay 0..1, formatted as percentages only for display), so a
// test can compare what Chart.getChart(canvas) holds with what it seeded.
// body[data-state] is "loading", then "ready" once every chart is drawn, or "error" with the message in #problem.
(() => {
  "use strict";

  const EXPIRED = "This dashboard link has expired or been revoked; open the link in your latest daily digest.";
  const UNREACHABLE = "The hub could not be reached, so there are no figures to show. Check your connection and reload the page.";
  const MAX_WEEKS = 260;
  const DAY_MS = 24 * 60 * 60 * 1000;

  // Display names; an unknown key is shown as it came. NPS and CRC stay distinct everywhere (action plan 2.12).
  const RECIPIENT_TYPES = [
    ["school", "School / college"],
    ["early-years-setting", "Early-years setting"],
    ["health-visiting-team", "Health visiting"],
    ["school-nursing-team", "School nursing"],
    ["midwifery-team", "Midwifery"],
    ["nps-spoc", "NPS SPOC"],
    ["crc-spoc", "CRC SPOC"],
    ["yos-team", "YOS"],
    ["mash", "MASH"],
    ["la-education-safeguarding-team", "LA education safeguarding"],
    ["marac-coordinator", "MARAC coordinator"],
  ];
  const TYPE_NAMES = new Map(RECIPIENT_TYPES);
  const TYPE_ORDER = new Map(RECIPIENT_TYPES.map(([key], i) => [key, i]));

  // Okabe–Ito: distinguishable with the common colour-vision deficiencies.
  const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000", "#999999"];
  const POINT_STYLES = ["circle", "rect", "triangle", "rectRot", "star", "crossRot", "rectRounded", "cross", "line"];

  const LATE_MISSING = [
    ["late", "Late", "#E69F00"],
    ["failed", "Failed", "#D55E00"],
    ["unrouted", "Unrouted", "#CC79A7"],
    ["missingAtSource", "Missing at source", "#0072B2"],
  ];
  const POLICE_DELAY = [
    ["reportedToReceived", "Reported → received by the hub", "#0072B2", "circle"],
    ["occurredToAttended", "Occurred → police attended", "#D55E00", "rect"],
  ];
  const PROBATION = [["nps-spoc", "NPS SPOC", "#0072B2"], ["crc-spoc", "CRC SPOC", "#E69F00"]];

  const byId = (id) => document.getElementById(id);
  const dayMonth = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
  const dayMonthYear = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
  const percent = new Intl.NumberFormat("en-GB", { style: "percent", maximumFractionDigits: 1 });
  const oneDecimal = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 1, minimumFractionDigits: 1 });
  const whole = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 0 });

  class Problem extends Error {}

  const parseDay = (text) => {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text ?? "");
    return match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : null;
  };
  const formatDay = (ms) => new Date(ms).toISOString().slice(0, 10);
  const mondayOnOrBefore = (ms) => ms - ((new Date(ms).getUTCDay() + 6) % 7) * DAY_MS;
  const showDay = (text, format = dayMonth) => {
    const ms = parseDay(text);
    return ms === null ? String(text) : format.format(ms);
  };
  const hours = (duration) => (duration && duration.medianSeconds != null ? duration.medianSeconds / 3600 : null);

  // The x axis: every week in [from, to] and every week the answers mention, so that a week with no data is drawn
  // as a gap (rates, delays) or zero (counts) in every series alike rather than silently closing up the axis.
  function weeksOf(...answers) {
    const weeks = new Set();
    for (const answer of answers) {
      for (const group of answer.groups ?? []) if (typeof group.period === "string") weeks.add(group.period);
    }
    const from = parseDay(answers[0].from);
    const to = parseDay(answers[0].to);
    if (from !== null && to !== null && from <= to) {
      for (let day = mondayOnOrBefore(from), n = 0; day <= to && n < MAX_WEEKS; day += 7 * DAY_MS, n++) weeks.add(formatDay(day));
    }
    return [...weeks].sort();
  }

  // groups → Map(key → Map(period → group))
  function index(answer) {
    const keys = new Map();
    for (const group of answer.groups ?? []) {
      if (!keys.has(group.key)) keys.set(group.key, new Map());
      keys.get(group.key).set(group.period, group);
    }
    return keys;
  }

  function series(weeks, byPeriod, pick, absent) {
    return weeks.map((week) => {
      const group = byPeriod?.get(week);
      if (!group) return absent;
      const value = pick(group);
      return value === undefined ? absent : value;
    });
  }

  async function getJson(query) {
    const base = location.pathname.replace(/\/+$/, "");
    let response;
    try {
      response = await fetch(`${base}/timeliness?${query}`, {
        headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store", referrerPolicy: "no-referrer",
      });
    } catch {
      throw new Problem(UNREACHABLE);
    }
    if ([401, 403, 410].includes(response.status)) throw new Problem(EXPIRED);
    if (response.status === 404) throw new Problem("This dashboard link was not recognised; open the link in your latest daily digest.");
    if (!response.ok) throw new Problem(`The hub could not produce the figures just now (HTTP ${response.status}). Try again in a few minutes.`);
    try {
      const answer = await response.json();
      if (!answer || !Array.isArray(answer.groups)) throw new Error("no groups");
      return answer;
    } catch {
      throw new Problem("The hub's answer could not be read, so there are no figures to show. Try again in a few minutes.");
    }
  }

  // ---- tables: the same numbers as the charts, for screen readers, copying and tests -------------------------------

  function fillTable(tableId, caption, weeks, rows, format) {
    const table = byId(tableId);
    table.replaceChildren();
    const captionElement = document.createElement("caption");
    captionElement.textContent = caption;
    table.append(captionElement);
    const head = table.createTHead().insertRow();
    const corner = document.createElement("th");
    corner.scope = "col";
    corner.textContent = "Week starting";
    head.append(corner);
    for (const week of weeks) {
      const th = document.createElement("th");
      th.scope = "col";
      th.dataset.period = week;
      th.textContent = showDay(week);
      head.append(th);
    }
    const body = table.createTBody();
    for (const row of rows) {
      const tr = body.insertRow();
      tr.dataset.series = row.key;
      const th = document.createElement("th");
      th.scope = "row";
      th.textContent = row.label;
      tr.append(th);
      row.data.forEach((value, i) => {
        const td = tr.insertCell();
        td.dataset.series = row.key;
        td.dataset.period = weeks[i];
        td.dataset.value = value == null ? "" : String(value);
        td.textContent = value == null ? "—" : format(value);
      });
    }
  }

  // ---- charts ------------------------------------------------------------------------------------------------------

  function baseOptions(weeks, yAxis, extra = {}) {
    return {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: "index", intersect: false },
      plugins: {
        legend: { position: "bottom", labels: { usePointStyle: true, boxHeight: 8 } },
        tooltip: {
          callbacks: {
            title: (items) => (items.length ? `Week starting ${showDay(weeks[items[0].dataIndex], dayMonthYear)}` : ""),
            label: (item) => `${item.dataset.label}: ${item.raw == null ? "no data" : yAxis.format(item.raw)}`,
          },
        },
      },
      scales: {
        x: { stacked: !!extra.stacked, grid: { display: false }, ticks: { callback: (value) => showDay(weeks[value]) } },
        y: {
          stacked: !!extra.stacked, beginAtZero: true, suggestedMax: yAxis.suggestedMax,
          title: { display: !!yAxis.title, text: yAxis.title },
          ticks: { callback: (value) => yAxis.format(value), ...(yAxis.integer ? { precision: 0 } : {}) },
        },
      },
    };
  }

  // The percentage ticks and the heading say what a rate is; a title would only crowd a narrow screen.
  const RATE_AXIS = { title: "", format: (v) => percent.format(v), suggestedMax: 1 };
  const COUNT_AXIS = { title: "Shares", format: (v) => whole.format(v), integer: true };
  const HOURS_AXIS = { title: "Hours (median)", format: (v) => `${oneDecimal.format(v)} h` };

  function draw(canvasId, type, weeks, datasets, yAxis, extra) {
    return new Chart(byId(canvasId), { type, data: { labels: weeks, datasets }, options: baseOptions(weeks, yAxis, extra) });
  }

  function render(byType, totals) {
    const weeks = weeksOf(byType, totals);
    const las = (byType.las ?? totals.las ?? []).join(", ");
    byId("title").textContent = las ? `NotifyHub — timeliness for ${las}` : "NotifyHub — timeliness";
    document.title = byId("title").textContent;
    byId("range").textContent = `${showDay(byType.from, dayMonthYear)} to ${showDay(byType.to, dayMonthYear)}`;

    const types = index(byType);
    const typeKeys = [...types.keys()].sort((a, b) => (TYPE_ORDER.get(a) ?? 99) - (TYPE_ORDER.get(b) ?? 99) || a.localeCompare(b));
    const typeRows = (pick) => typeKeys.map((key) => ({ key, label: TYPE_NAMES.get(key) ?? key, data: series(weeks, types.get(key), pick, null) }));

    // Acknowledged by due, per recipient type: a line per type; a week without deliveries is a gap (rate null).
    const ontime = typeRows((g) => g.acknowledgedByDueRate);
    draw("ontime-by-type", "line", weeks, ontime.map((row, i) => ({
      key: row.key, label: row.label, data: row.data, spanGaps: false,
      borderColor: PALETTE[i % PALETTE.length], backgroundColor: PALETTE[i % PALETTE.length],
      pointStyle: POINT_STYLES[i % POINT_STYLES.length], pointRadius: 4, borderWidth: 2,
    })), RATE_AXIS);
    fillTable("ontime-by-type-table", "Share acknowledged by the due time", weeks, ontime, (v) => percent.format(v));
    fillTable("delivered-by-type-table", "Share delivered by the due time", weeks, typeRows((g) => g.deliveredByDueRate), (v) => percent.format(v));

    // Late and missing: counts, stacked; a week with no data counts zero.
    const all = index(totals).get("all");
    const lateRows = LATE_MISSING.map(([key, label]) => ({ key, label, data: series(weeks, all, (g) => g[key] ?? 0, 0) }));
    draw("late-missing", "bar", weeks, lateRows.map((row, i) => ({
      key: row.key, label: row.label, data: row.data, backgroundColor: LATE_MISSING[i][2], borderWidth: 0,
    })), COUNT_AXIS, { stacked: true });
    fillTable("late-missing-table", "Late and missing shares", weeks, lateRows, (v) => whole.format(v));

    // Police-side delay: median hours; a week with no measured incidents is a gap.
    const delayRows = POLICE_DELAY.map(([key, label]) => ({ key, label, data: series(weeks, all, (g) => hours(g.policeDelay?.[key]), null) }));
    draw("police-delay", "line", weeks, delayRows.map((row, i) => ({
      key: row.key, label: row.label, data: row.data, spanGaps: false,
      borderColor: POLICE_DELAY[i][2], backgroundColor: POLICE_DELAY[i][2], pointStyle: POLICE_DELAY[i][3], pointRadius: 4, borderWidth: 2,
    })), HOURS_AXIS);
    fillTable("police-delay-table", "Median police-side delay, hours", weeks, delayRows, (v) => oneDecimal.format(v));

    // NPS and CRC: always two series side by side, never merged into "probation".
    const probationRows = (pick, absent) => PROBATION.map(([key, label]) => ({ key, label, data: series(weeks, types.get(key), pick, absent) }));
    const probationBars = (rows) => rows.map((row, i) => ({ key: row.key, label: row.label, data: row.data, backgroundColor: PROBATION[i][2], borderWidth: 0 }));
    const deliveries = probationRows((g) => g.deliveries ?? 0, 0);
    draw("nps-crc-deliveries", "bar", weeks, probationBars(deliveries), { ...COUNT_AXIS, title: "Deliveries" });
    fillTable("nps-crc-deliveries-table", "Deliveries to the NPS and CRC SPOCs", weeks, deliveries, (v) => whole.format(v));
    const probationOntime = probationRows((g) => g.acknowledgedByDueRate, null);
    draw("nps-crc-ontime", "bar", weeks, probationBars(probationOntime), RATE_AXIS);
    fillTable("nps-crc-ontime-table", "Share of NPS and CRC deliveries acknowledged by the due time", weeks, probationOntime, (v) => percent.format(v));
  }

  function fail(message) {
    byId("charts").hidden = true;
    byId("status").hidden = true;
    const problem = byId("problem");
    problem.textContent = message;
    problem.hidden = false;
    document.body.dataset.state = "error";
  }

  async function main() {
    if (typeof Chart !== "function") return fail("The charting library did not load, so the charts cannot be drawn.");
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    Chart.defaults.color = "#333";
    let byType, totals;
    try {
      [byType, totals] = await Promise.all([getJson("groupBy=recipientType&period=week"), getJson("period=week")]);
    } catch (error) {
      return fail(error instanceof Problem ? error.message : UNREACHABLE);
    }
    try {
      byId("charts").hidden = false; // before drawing: Chart.js sizes each canvas from its (visible) container
      render(byType, totals);
    } catch (error) {
      console.error(error);
      return fail("The figures arrived but could not be drawn. Reload the page; if it happens again, tell the hub's administrators.");
    }
    const empty = byType.groups.length === 0 && totals.groups.length === 0;
    byId("status").textContent = "No shares, late or missing, were recorded for these authorities in this period.";
    byId("status").hidden = !empty;
    requestAnimationFrame(() => { document.body.dataset.state = "ready"; });
  }

  main();
})();
