// Only the parts of Apache ECharts the dashboard uses, so the first render stays small and fast.
import * as echarts from 'echarts/core';
import { LineChart, BarChart, MapChart, CustomChart, ScatterChart } from 'echarts/charts';
import {
  GridComponent, TooltipComponent, LegendComponent, DataZoomComponent, MarkLineComponent, MarkAreaComponent,
  MarkPointComponent, TitleComponent, VisualMapComponent, AriaComponent, GeoComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  LineChart, BarChart, MapChart, CustomChart, ScatterChart, GridComponent, TooltipComponent, LegendComponent, DataZoomComponent,
  MarkLineComponent, MarkAreaComponent, MarkPointComponent, TitleComponent, VisualMapComponent, AriaComponent, GeoComponent, CanvasRenderer,
]);

export { echarts };
export type ECharts = echarts.ECharts;

const charts = new Set<echarts.ECharts>();

/** A chart in a container; disposed when the page changes (disposeAll). */
export function chart(el: HTMLElement): echarts.ECharts {
  const c = echarts.init(el, undefined, { renderer: 'canvas' });
  charts.add(c);
  return c;
}

export function disposeAll(): void {
  for (const c of charts) c.dispose();
  charts.clear();
}

window.addEventListener('resize', () => { for (const c of charts) c.resize(); });
