// Prevalence by region for a marker and a date. Shapes: world-atlas (Natural Earth 1:110m countries, public domain;
// the package is ISC-licensed). It has countries only, so Argentina's provinces (ISO 3166-2:AR) cannot be drawn: the
// map colours each country by its regions' post-weighted prevalence and the bar chart beside it shows the regions.
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { Geometry } from 'geojson';
import atlas from 'world-atlas/countries-110m.json';
import { get, type SeriesResponse } from '../api';
import { getMarkers, getRegions, lastBucket } from '../catalogue';
import { chart, echarts } from '../echarts';
import { SEQUENTIAL, SERIES, GREY } from '../palette';
import { day, errorBox, h, pct, regionName } from '../util';

/** ISO 3166-1 alpha-2 to the numeric codes world-atlas uses as feature ids (the countries this deployment may cover). */
const NUMERIC: Record<string, string> = {
  AR: '032', BO: '068', BR: '076', CL: '152', CO: '170', EC: '218', PY: '600', PE: '604', UY: '858', VE: '862', MX: '484',
  US: '840', CA: '124', ES: '724', PT: '620', FR: '250', DE: '276', GB: '826', IT: '380', IE: '372', NL: '528', AU: '036', NZ: '554', IN: '356',
};

let registered = false;

function register(): void {
  if (registered) return;
  const topo = atlas as unknown as Topology<{ countries: GeometryCollection<{ name: string }> }>;
  const geo = feature(topo, topo.objects.countries);
  // ECharts reads the name property; keep world-atlas's numeric id as the name so values join on it.
  // Shapes that cross the antimeridian (Fiji, Antarctica's outline) would draw lines across the whole map: left out.
  const features = geo.features
    .filter(f => !crossesAntimeridian(f.geometry))
    .map(f => ({ ...f, properties: { name: String(f.id), label: f.properties?.name ?? String(f.id) } }));
  echarts.registerMap('world', { type: 'FeatureCollection', features } as never);
  registered = true;
}

function crossesAntimeridian(g: Geometry | null): boolean {
  if (!g) return false;
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
  return polygons.some(rings => rings.some(ring => ring.some((p, i) => i > 0 && Math.abs(p[0] - ring[i - 1][0]) > 180)));
}

export async function mapPage(main: HTMLElement, params: URLSearchParams): Promise<void> {
  main.append(h('h1', {}, 'Map'));
  const [markers, regions] = await Promise.all([getMarkers(), getRegions()]);
  const marker = markers.some(m => m.name === params.get('m')) ? params.get('m')! : 'loneliness';
  const last = lastBucket(regions);
  const date = params.get('d') ?? (last ? day(last) : new Date().toISOString().slice(0, 10));
  const markerSelect = h('select', { id: 'map-marker' }, ...markers.map(m => h('option', { value: m.name, selected: m.name === marker }, m.name)));
  const dateInput = h('input', { id: 'map-date', type: 'date', value: date });
  const update = () => { location.hash = `#/map?m=${encodeURIComponent(markerSelect.value)}&d=${dateInput.value}`; };
  markerSelect.addEventListener('change', update);
  dateInput.addEventListener('change', update);
  const mapBox = h('div', { id: 'map-chart', class: 'chart', role: 'img', 'aria-label': `Choropleth of ${marker} on ${date}` });
  const barBox = h('div', { id: 'map-regions', class: 'chart small', role: 'img', 'aria-label': `${marker} by region on ${date}` });
  main.append(
    h('div', { class: 'toolbar' }, h('label', { for: 'map-marker' }, 'Marker'), markerSelect, h('label', { for: 'map-date' }, 'Date'), dateInput),
    h('p', { class: 'note', id: 'map-note' },
      'Shapes come from world-atlas (Natural Earth 1:110m countries, public domain; package ISC licence). It holds countries only: ',
      'Argentina’s provinces are not in it, so each country is coloured by the post-weighted prevalence of its regions shown that day ',
      '(suppressed regions left out), and the regions themselves are in the chart below. Grey: no data or suppressed.'),
    mapBox, h('h2', {}, 'By region'), barBox);

  const codes = regions.filter(r => !r.isTotal && r.code !== 'unknown').map(r => r.code);
  if (codes.length === 0) {
    mapBox.replaceWith(h('p', {}, 'No regional data yet.'));
    barBox.remove();
    return;
  }
  const from = `${date}T00:00:00Z`;
  const to = new Date(new Date(from).getTime() + 86_400_000).toISOString();
  let data: SeriesResponse;
  try {
    data = await get<SeriesResponse>('/series', { marker, region: codes, granularity: 'day', from, to });
  } catch (e) {
    mapBox.replaceWith(errorBox(e));
    return;
  }
  const rows = data.series.map(s => ({ region: s.region, point: s.points[0] }));
  const byCountry = new Map<string, { posts: number; weighted: number }>();
  for (const r of rows) {
    const p = r.point;
    if (!p || p.suppressed || p.prevalence === null || p.posts === null) continue;
    const country = r.region.split('-')[0].toUpperCase();
    const acc = byCountry.get(country) ?? { posts: 0, weighted: 0 };
    acc.posts += p.posts;
    acc.weighted += p.posts * p.prevalence;
    byCountry.set(country, acc);
  }
  register();
  const values = [...byCountry].filter(([c]) => NUMERIC[c]).map(([c, v]) => ({ name: NUMERIC[c], value: v.weighted / v.posts, country: c }));
  const regional = rows.map(r => r.point).filter(p => p && !p.suppressed && p.prevalence !== null).map(p => p.prevalence as number);
  const max = Math.max(0.01, ...values.map(v => v.value), ...regional);
  const focus = values.length > 0 && values.every(v => v.country === 'AR');
  chart(mapBox).setOption({
    animation: false,
    aria: { enabled: true },
    tooltip: { trigger: 'item', formatter: (p: { name: string; value: number; data?: { country: string } }) => p.data ? `${p.data.country}: ${pct(p.value, 2)}` : 'no data' },
    visualMap: { min: 0, max, inRange: { color: SEQUENTIAL }, calculable: true, left: 8, bottom: 8, formatter: (v: number) => pct(v) },
    series: [{
      type: 'map', map: 'world', roam: true, nameProperty: 'name',
      ...(focus ? { center: [-64, -38], zoom: 4.2 } : {}),
      itemStyle: { areaColor: '#eeeeee', borderColor: GREY, borderWidth: 0.5 },
      emphasis: { label: { show: false }, itemStyle: { areaColor: '#F0E442' } },
      data: values,
    }],
  });
  const shown = rows.filter(r => r.point);
  chart(barBox).setOption({
    animation: false,
    aria: { enabled: true },
    grid: { left: 180, right: 40, top: 10, bottom: 30 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: unknown) => (v === null || v === undefined ? 'suppressed' : pct(v as number, 2)) },
    xAxis: { type: 'value', axisLabel: { formatter: (v: number) => `${(v * 100).toFixed(0)} %` } },
    yAxis: { type: 'category', data: shown.map(r => regionName(r.region) + (r.point.suppressed ? ' (suppressed)' : '')) },
    series: [{ type: 'bar', data: shown.map(r => (r.point.suppressed ? null : r.point.prevalence)), itemStyle: { color: SERIES[0] } }],
  });
  if (shown.length === 0) barBox.replaceWith(h('p', {}, `No regional cell on ${date}.`));
}
