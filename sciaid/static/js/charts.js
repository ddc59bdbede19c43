/* Bar charts for statistics pages: every element with data-bar-chart="<json_script id>" becomes one, reading the
   category names and values from the keys named by data-names and data-values. The same numbers are always in a
   table on the page too; the chart is only a picture of them. */
(function () {
  document.querySelectorAll("[data-bar-chart]").forEach(function (element) {
    var data = JSON.parse(document.getElementById(element.dataset.barChart).textContent);
    var names = data[element.dataset.names];
    var chart = echarts.init(element);
    chart.setOption({
      grid: {left: 40, right: 10, top: 20, bottom: names.length > 12 ? 60 : 30},
      tooltip: {trigger: "axis"},
      xAxis: {type: "category", data: names, axisLabel: {interval: 0, rotate: names.length > 12 ? 30 : 0}},
      yAxis: {type: "value", minInterval: 1},
      series: [{type: "bar", name: data.label, data: data[element.dataset.values], itemStyle: {color: "#1f7a4d"}}]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
