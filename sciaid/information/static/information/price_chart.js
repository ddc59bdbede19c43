/* The price chart of one product at one market: a line over the dates, from the json_script named by
   data-line-chart. The same numbers are in the table below it; the chart is only a picture of them. */
(function () {
  document.querySelectorAll("[data-line-chart]").forEach(function (element) {
    var data = JSON.parse(document.getElementById(element.dataset.lineChart).textContent);
    var chart = echarts.init(element);
    chart.setOption({
      grid: {left: 48, right: 12, top: 20, bottom: 40},
      tooltip: {trigger: "axis"},
      xAxis: {type: "category", data: data.dates},
      yAxis: {type: "value", scale: true},
      series: [{type: "line", name: data.label, data: data.prices, showSymbol: false, itemStyle: {color: "#1f7a4d"}}]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
