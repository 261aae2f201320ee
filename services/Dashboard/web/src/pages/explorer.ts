// Marker × region timeline: 95 % interval, forecast with 80/95 % bands, alerts and annotations; compare up to 6 series.
import { get, text, type AlertPage, type AnnotationView, type ForecastView, type Granularity, type SeriesResponse } from '../api';
import { getMarkers, getRegions, lastBucket } from '../catalogue';
import { chart, type ECharts } from '../echarts';
import { seriesOption } from '../seriesChart';
import { day, download, errorBox, h, regionName, windowEnding } from '../util';

export const MAX_SERIES = 6;

export async function explorerPage(main: HTMLElement, params: URLSearchParams): Promise<void> {
  main.append(h('h1', {}, 'Series explorer'));
  const [markers, regions] = await Promise.all([getMarkers(), getRegions()]);
  const state = {
    markers: (params.get('m') ?? 'loneliness').split(',').filter(m => markers.some(x => x.name === m)),
    regions: (params.get('r') ?? 'all').split(',').filter(r => regions.some(x => x.code === r)),
    g: (['hour', 'day', 'week'].includes(params.get('g') ?? '') ? params.get('g') : 'day') as Granularity,
    forecast: params.get('f') !== '0',
    interval: params.get('i') !== '0',
  };
  if (state.markers.length === 0) state.markers = [markers[0].name];
  if (state.regions.length === 0) state.regions = [regions[0].code];

  const markerSelect = h('select', { id: 'marker', name: 'marker', multiple: true, size: 8, 'aria-describedby': 'compare-help' },
    ...groupOptions(markers, state.markers));
  const regionSelect = h('select', { id: 'region', name: 'region', multiple: true, size: 8, 'aria-describedby': 'compare-help' },
    ...regions.map(r => h('option', { value: r.code, selected: state.regions.includes(r.code) }, regionName(r.code))));
  const grans = h('fieldset', { class: 'inline' }, h('legend', {}, 'Granularity'),
    ...(['hour', 'day', 'week'] as const).flatMap(g => [
      h('input', { type: 'radio', name: 'granularity', id: `g-${g}`, value: g, checked: state.g === g }),
      h('label', { for: `g-${g}` }, g),
    ]));
  const forecastBox = h('input', { type: 'checkbox', id: 'forecast', checked: state.forecast });
  const intervalBox = h('input', { type: 'checkbox', id: 'interval', checked: state.interval });
  const csvButton = h('button', { type: 'button', id: 'download-csv' }, 'Download CSV');
  const pngButton = h('button', { type: 'button', id: 'download-png' }, 'Download PNG');
  const message = h('p', { id: 'explorer-message', role: 'status', class: 'muted' });
  const chartBox = h('div', { id: 'explorer-chart', class: 'chart', role: 'img', 'aria-label': 'Prevalence timeline' });
  const notes = h('div', { id: 'explorer-notes', class: 'notes' });

  main.append(
    h('form', { class: 'controls', id: 'explorer-form', onsubmit: (e: Event) => e.preventDefault() },
      h('div', {}, h('label', { for: 'marker' }, 'Markers'), markerSelect),
      h('div', {}, h('label', { for: 'region' }, 'Regions'), regionSelect),
      h('div', { class: 'stack' },
        grans,
        h('div', {}, forecastBox, h('label', { for: 'forecast' }, 'Show forecast (80/95 % bands)')),
        h('div', {}, intervalBox, h('label', { for: 'interval' }, 'Show 95 % interval')),
        h('div', { class: 'buttons' }, csvButton, pngButton),
        h('p', { id: 'compare-help', class: 'muted' }, `Choose several markers or regions (Ctrl/Shift/Space) to compare up to ${MAX_SERIES} series. Drag or scroll on the chart to zoom and pan.`),
      ),
    ),
    message,
    chartBox,
    notes,
  );

  let c: ECharts | null = null;
  let generation = 0;

  const selected = (s: HTMLSelectElement) => [...s.selectedOptions].map(o => o.value);

  const syncHash = () => {
    const p = new URLSearchParams({ m: state.markers.join(','), r: state.regions.join(','), g: state.g, f: state.forecast ? '1' : '0', i: state.interval ? '1' : '0' });
    history.replaceState(null, '', `#/explorer?${p}`);
  };

  const draw = async () => {
    const mine = ++generation;
    syncHash();
    if (state.markers.length * state.regions.length > MAX_SERIES) {
      message.textContent = `That is ${state.markers.length * state.regions.length} series; compare at most ${MAX_SERIES} (for example 6 regions of one marker, or 6 markers in one region).`;
      message.className = 'error';
      return;
    }
    message.className = 'muted';
    message.textContent = 'Loading…';
    const last = lastBucket(regions, state.regions);
    const { from, to } = windowEnding(last, state.g);
    try {
      const [data, forecasts, alerts, annotations] = await Promise.all([
        get<SeriesResponse>('/series', { marker: state.markers, region: state.regions, granularity: state.g, from, to }),
        state.forecast ? get<ForecastView[]>('/forecasts', { marker: state.markers, region: state.regions, granularity: state.g }) : Promise.resolve([]),
        get<AlertPage>('/alerts', { marker: state.markers, region: state.regions, pageSize: 200 }),
        get<AnnotationView[]>('/annotations', { from: from.slice(0, 10), to: to.slice(0, 10), region: state.regions }),
      ]);
      if (mine !== generation) return;
      c ??= chart(chartBox);
      c.setOption(seriesOption({
        data, forecasts, annotations, showForecast: state.forecast, showInterval: state.interval,
        alerts: alerts.items.filter(a => a.granularity === state.g),
      }), { notMerge: true });
      const points = data.series.reduce((n, s) => n + s.points.length, 0);
      const suppressed = data.series.reduce((n, s) => n + s.points.filter(p => p.suppressed).length, 0);
      message.textContent = points === 0
        ? 'No data for this choice yet.'
        : `${data.series.length} series, ${day(data.from)} to ${day(data.to)}${state.forecast ? `, ${forecasts.length} forecast${forecasts.length === 1 ? '' : 's'}` : ''}.`;
      chartBox.setAttribute('aria-label', `Prevalence of ${state.markers.join(', ')} in ${state.regions.map(regionName).join(', ')} by ${state.g}`);
      notes.replaceChildren(...[
        suppressed > 0
          ? h('p', { class: 'note', id: 'suppression-note' }, `${suppressed} suppressed cell${suppressed === 1 ? '' : 's'} (grey bands) are drawn as gaps, not zeros: ${data.suppression.note} Thresholds: ${data.suppression.minPosts} posts, ${data.suppression.minAuthors} distinct authors.`)
          : h('p', { class: 'muted' }, `No suppressed cells in view. Cells with fewer than ${data.suppression.minPosts} posts or ${data.suppression.minAuthors} distinct authors would show as gaps.`),
        forecasts.length > 0 && state.forecast
          ? h('p', { class: 'muted' }, `Forecast: ${forecasts.map(f => `${f.marker} · ${regionName(f.region)} by ${f.method}, issued ${day(f.issuedAt)}`).join('; ')}. Dashed line: mean; bands: 80 % (darker) and 95 %.`)
          : null,
        annotations.length > 0 ? h('p', { class: 'muted' }, `Events (dotted lines): ${annotations.map(a => `${day(a.date)} ${a.title}`).join('; ')}.`) : null,
      ].filter((x): x is HTMLParagraphElement => x !== null));
    } catch (e) {
      if (mine !== generation) return;
      message.replaceChildren(errorBox(e));
    }
  };

  markerSelect.addEventListener('change', () => { state.markers = selected(markerSelect); void draw(); });
  regionSelect.addEventListener('change', () => { state.regions = selected(regionSelect); void draw(); });
  grans.addEventListener('change', e => { state.g = (e.target as HTMLInputElement).value as Granularity; void draw(); });
  forecastBox.addEventListener('change', () => { state.forecast = forecastBox.checked; void draw(); });
  intervalBox.addEventListener('change', () => { state.interval = intervalBox.checked; void draw(); });
  csvButton.addEventListener('click', async () => {
    try {
      const { from, to } = windowEnding(lastBucket(regions, state.regions), state.g);
      const csv = await text('/series', { marker: state.markers, region: state.regions, granularity: state.g, from, to, format: 'csv' }, 'text/csv');
      const href = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
      download(`series-${state.markers.join('+')}-${state.regions.join('+')}-${state.g}.csv`, href);
      setTimeout(() => URL.revokeObjectURL(href), 10_000);
    } catch (e) {
      message.replaceChildren(errorBox(e));
    }
  });
  pngButton.addEventListener('click', () => {
    if (!c) return;
    download(`series-${state.markers.join('+')}-${state.g}.png`, c.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#ffffff' }));
  });
  await draw();
}

function groupOptions(markers: { name: string; family: string }[], chosen: string[]): HTMLOptGroupElement[] {
  const groups = new Map<string, HTMLOptGroupElement>();
  for (const m of markers) {
    if (!groups.has(m.family)) groups.set(m.family, h('optgroup', { label: m.family }));
    groups.get(m.family)!.append(h('option', { value: m.name, selected: chosen.includes(m.name) }, m.name));
  }
  return [...groups.values()];
}
