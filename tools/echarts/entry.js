// The ECharts the platform's pages draw with, and nothing more: bar and line charts on a plain grid, painted on a
// canvas, reached through `echarts.init` (sciaid/static/js/charts.js, reports/dashboard.js,
// information/price_chart.js). Like the upstream "simple" build it has no tooltip, legend or dataset: the numbers of
// every chart are in a table beside it. A page that needs more imports it here and rebuilds with build.sh.
import { init, use } from "echarts/core";
import { BarChart, LineChart } from "echarts/charts";
import { GridSimpleComponent } from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";

use([BarChart, LineChart, GridSimpleComponent, CanvasRenderer]);

window.echarts = { init };
