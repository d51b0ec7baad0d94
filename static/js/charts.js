/* Draws the outcome dashboard's charts with the vendored Chart.js.
 *
 * The data comes from <script type="application/json" id="..."> (the CSP allows no inline
 * script); each <figure data-chart="id" data-chart-source="json-id"> holds a canvas, hidden
 * until drawn, and the same figures as a table. Without JavaScript the tables are the charts.
 * Withheld figures ("under 5") are gaps in the chart, never drawn as a value.
 */
(function () {
  "use strict";

  var COLOURS = ["#2a2859", "#f9c66b", "#6fe9ff", "#ff8274"];

  function draw(figure, charts) {
    var chart = charts[figure.getAttribute("data-chart")];
    var canvas = figure.querySelector("canvas");
    if (!chart || !canvas || typeof window.Chart !== "function") {
      return;
    }
    var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    canvas.parentElement.hidden = false;
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: chart.labels,
        datasets: chart.series.map(function (series, index) {
          return {
            label: series.label,
            data: series.values,
            backgroundColor: COLOURS[index % COLOURS.length],
            borderColor: "#2a2859",
            borderWidth: 1
          };
        })
      },
      options: {
        // Axis numbers in the page's language: decimal comma in bokmål.
        locale: document.documentElement.lang || "nb",
        animation: reduceMotion ? false : undefined,
        responsive: true,
        scales: {
          y: {
            beginAtZero: true,
            title: { display: true, text: chart.unit }
          }
        },
        plugins: { legend: { position: "bottom" } }
      }
    });
  }

  function start() {
    var figures = document.querySelectorAll("figure[data-chart]");
    var sources = {};
    Array.prototype.forEach.call(figures, function (figure) {
      var sourceId = figure.getAttribute("data-chart-source");
      if (!(sourceId in sources)) {
        var element = document.getElementById(sourceId);
        var byId = {};
        try {
          JSON.parse(element ? element.textContent : "[]").forEach(function (chart) {
            byId[chart.id] = chart;
          });
        } catch (error) {
          byId = {};
        }
        sources[sourceId] = byId;
      }
      draw(figure, sources[sourceId]);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
