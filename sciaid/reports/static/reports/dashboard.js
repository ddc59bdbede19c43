/* The dashboard's charts: every element with data-dashboard-chart="<json_script id>" becomes a bar chart ("bar"),
   a horizontal bar chart ("hbar", the counties ranked, a county's townships), stacked when "stacked", or a line chart ("line", months), from
   {kind, percent, names, series: [{name, values}]}. The same numbers are in the table under each chart; the chart
   is only a picture of them; several series are told apart by the legend the page writes above the chart in the
   same colours (the vendored "simple" ECharts has no legend component). Labels are kept short and inside the box so that a 360 px screen does not scroll. */
(function () {
  document.querySelectorAll("[data-dashboard-chart]").forEach(function (element) {
    var data = JSON.parse(document.getElementById(element.dataset.dashboardChart).textContent);
    var horizontal = data.kind === "hbar";
    if (horizontal) {
      element.style.height = Math.max(200, 28 * data.names.length + 60) + "px";
    }
    var valueAxis = {type: "value", minInterval: 1, max: data.percent ? 100 : null,
                     axisLabel: {hideOverlap: true}};
    var categoryAxis = {type: "category", data: data.names, inverse: horizontal,
                        axisLabel: {interval: 0, width: horizontal ? 80 : 70, overflow: "truncate",
                                    rotate: !horizontal && data.names.length > 4 ? 30 : 0}};
    var chart = echarts.init(element);
    chart.setOption({
      color: data.colours,
      grid: {left: 8, right: 16, top: 16, bottom: 8, containLabel: true},
      tooltip: {trigger: "axis", confine: true},
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? categoryAxis : valueAxis,
      series: data.series.map(function (serie) {
        return {type: data.kind === "line" ? "line" : "bar", name: serie.name, data: serie.values,
                stack: data.stacked ? "total" : undefined,
                colorBy: data.series.length > 1 || horizontal ? "series" : "data", connectNulls: false};
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
