// The timeline of the explorer and the alert detail: prevalence with its 95 % interval, suppressed cells as gaps with
// a shaded explanation, forecasts with 80/95 % bands, alert markers and annotated events.
import type { AlertView, AnnotationView, ForecastView, SeriesResponse } from './api';
import { SERIES, RED, YELLOW, GREY, SUPPRESSED_FILL, alpha } from './palette';
import { lineData, suppressedRuns, STEP_MS, pct, regionName } from './util';


export interface ChartInput {
  data: SeriesResponse;
  forecasts: ForecastView[];
  alerts: AlertView[];
  annotations: AnnotationView[];
  showForecast: boolean;
  showInterval: boolean;
  threshold?: number;
}

export function label(marker: string, region: string, byMarker: boolean, byRegion: boolean): string {
  if (byMarker && byRegion) return `${marker} · ${regionName(region)}`;
  if (byMarker) return marker;
  if (byRegion) return regionName(region);
  return `${marker} · ${regionName(region)}`;
}

/** A band between two bounds, drawn as one polygon per pair of neighbouring buckets (a gap where either is missing). */
function band(name: string, rows: [number, number | null, number | null][], color: string, z: number): any {
  const data: number[][] = [];
  for (let i = 0; i + 1 < rows.length; i++) {
    const [t0, l0, u0] = rows[i];
    const [t1, l1, u1] = rows[i + 1];
    if (l0 === null || u0 === null || l1 === null || u1 === null) continue;
    data.push([t0, l0, u0, t1, l1, u1]);
  }
  return {
    type: 'custom',
    name,
    z,
    silent: true,
    data,
    encode: { x: [0, 3], y: [1, 2, 4, 5] },
    renderItem: (_params: any, api: any) => {
      const a = api.coord([api.value(0), api.value(1)]);
      const b = api.coord([api.value(0), api.value(2)]);
      const c = api.coord([api.value(3), api.value(5)]);
      const d = api.coord([api.value(3), api.value(4)]);
      return { type: 'polygon', shape: { points: [a, b, c, d] }, style: { fill: color } };
    },
    tooltip: { show: false },
  };
}

export function seriesOption(input: ChartInput): any {
  const { data } = input;
  const step = STEP_MS[data.granularity];
  const markers = new Set(data.series.map(s => s.marker));
  const regions = new Set(data.series.map(s => s.region));
  const byMarker = markers.size > 1;
  const byRegion = regions.size > 1 || !byMarker;
  const series: any[] = [];
  const legend: string[] = [];

  data.series.forEach((s, i) => {
    const color = SERIES[i % SERIES.length];
    const name = label(s.marker, s.region, byMarker, byRegion);
    legend.push(name);
    const runs = suppressedRuns(s.points, step);
    series.push({
      type: 'line',
      name,
      data: lineData(s.points, step),
      connectNulls: false,
      showSymbol: s.points.length < 60,
      symbolSize: 5,
      lineStyle: { width: 2, color, type: i >= 3 ? 'dashed' : 'solid' },
      itemStyle: { color },
      z: 5,
      markArea: runs.length === 0 ? undefined : {
        silent: false,
        itemStyle: { color: SUPPRESSED_FILL },
        label: { show: i === 0, position: 'insideTop', color: '#555', fontSize: 10, formatter: 'suppressed' },
        tooltip: { formatter: `Suppressed: fewer than ${data.suppression.minPosts} posts or ${data.suppression.minAuthors} distinct authors (or complementary suppression). Not zero: unknown.` },
        data: runs.map(([a, b]) => [{ xAxis: a }, { xAxis: b }]),
      },
      markLine: i !== 0 ? undefined : {
        symbol: 'none',
        silent: false,
        label: { formatter: '{b}', position: 'insideEndTop', fontSize: 10, color: '#333' },
        lineStyle: { color: '#555', type: 'dotted', width: 1.5 },
        data: [
          ...input.annotations.map(a => ({ name: a.title, xAxis: new Date(a.date + 'T00:00:00Z').getTime() })),
          ...(input.threshold !== undefined ? [{ name: 'threshold', yAxis: input.threshold, lineStyle: { color: RED, type: 'dashed' } }] : []),
        ],
      },
    });
    if (input.showInterval) {
      const rows = s.points.map(p => [new Date(p.start).getTime(), p.suppressed ? null : p.lower95, p.suppressed ? null : p.upper95] as [number, number | null, number | null]);
      series.push(band(`${name} 95 % interval`, rows, alpha(color, 0.16), 1));
    }
    const alerts = input.alerts.filter(a => a.marker === s.marker && a.region === s.region);
    if (alerts.length > 0) {
      series.push({
        type: 'scatter',
        name: `${name} alerts`,
        z: 10,
        symbol: 'triangle',
        symbolSize: 14,
        data: alerts.map(a => ({
          value: [new Date(a.bucketStart).getTime(), a.observed],
          itemStyle: { color: a.severity === 'red' ? RED : YELLOW, borderColor: '#000', borderWidth: 1 },
          alert: a,
        })),
        tooltip: {
          formatter: (p: any) => {
            const a = p.data.alert as AlertView;
            return `Alert (${a.severity}, ${a.kind}, ${a.status})<br/>${a.marker} · ${regionName(a.region)}<br/>observed ${pct(a.observed)}, expected ${pct(a.expected)}<br/>${a.method}, p = ${a.pValue.toPrecision(2)}`;
          },
        },
      });
    }
    if (input.showForecast) {
      const f = input.forecasts.find(x => x.marker === s.marker && x.region === s.region);
      if (f && f.points.length > 0) {
        const t = (iso: string) => new Date(iso).getTime();
        series.push(band(`${name} forecast 95 %`, f.points.map(p => [t(p.start), p.lower95, p.upper95]), alpha(color, 0.12), 2));
        series.push(band(`${name} forecast 80 %`, f.points.map(p => [t(p.start), p.lower80, p.upper80]), alpha(color, 0.24), 3));
        series.push({
          type: 'line',
          name: `${name} forecast`,
          data: f.points.map(p => [t(p.start), p.mean]),
          showSymbol: false,
          lineStyle: { width: 2, color, type: [6, 4] },
          itemStyle: { color },
          z: 4,
        });
      }
    }
  });

  return {
    animation: false,
    aria: { enabled: true, decal: { show: false } },
    color: SERIES,
    grid: { left: 56, right: 24, top: 48, bottom: 72 },
    legend: { type: 'scroll', top: 0, data: legend },
    tooltip: {
      trigger: 'axis',
      valueFormatter: (v: any) => (v === null || v === undefined ? 'suppressed / no data' : pct(v as number, 2)),
    },
    xAxis: { type: 'time', axisLine: { lineStyle: { color: GREY } } },
    yAxis: { type: 'value', name: 'prevalence', axisLabel: { formatter: (v: number) => `${(v * 100).toFixed(0)} %` }, scale: true },
    dataZoom: [{ type: 'inside', filterMode: 'none' }, { type: 'slider', filterMode: 'none', bottom: 16, height: 24 }],
    series,
  };
}
