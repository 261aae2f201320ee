// Alerts: a filterable list and a detail with the evidence (word shift), detector, p-value and the forecast that crossed.
import { get, type AlertEvidence, type AlertPage, type AlertView, type ForecastView, type SeriesResponse } from '../api';
import { getRegions } from '../catalogue';
import { chart } from '../echarts';
import { RED, SERIES, YELLOW, OKABE_ITO } from '../palette';
import { seriesOption } from '../seriesChart';
import { dateTime, day, errorBox, h, loading, pct, regionName, STEP_MS } from '../util';

export async function alertsPage(main: HTMLElement, params: URLSearchParams): Promise<void> {
  const id = params.get('_rest');
  if (id) return alertDetail(main, id);
  main.append(h('h1', {}, 'Alerts'));
  const regions = await getRegions();
  const status = params.get('status') ?? '';
  const region = params.get('region') ?? '';
  const statusSelect = h('select', { id: 'alert-status' },
    ...[['', 'any status'], ['open', 'open'], ['resolved', 'resolved']].map(([v, t]) => h('option', { value: v, selected: v === status }, t)));
  const regionSelect = h('select', { id: 'alert-region' },
    h('option', { value: '' }, 'every region'),
    ...regions.filter(r => !r.isTotal).map(r => h('option', { value: r.code, selected: r.code === region }, regionName(r.code))));
  const go = () => { location.hash = `#/alerts?status=${statusSelect.value}&region=${regionSelect.value}`; };
  statusSelect.addEventListener('change', go);
  regionSelect.addEventListener('change', go);
  main.append(
    h('div', { class: 'toolbar' }, h('label', { for: 'alert-status' }, 'Status'), statusSelect, h('label', { for: 'alert-region' }, 'Region'), regionSelect),
    h('p', { class: 'muted' }, 'Alerts on region-weeks with fewer than 200 distinct authors are never shown. Acknowledging and resolving by hand is not offered by the API yet: alerts resolve when the detector sees the series return to normal.'),
  );
  const wait = loading();
  main.append(wait);
  const page = await get<AlertPage>('/alerts', { status: status || undefined, region: region || undefined, pageSize: 200 });
  if (page.items.length === 0) {
    wait.replaceWith(h('p', { id: 'no-alerts' }, 'No alerts match.'));
    return;
  }
  const rows = page.items.map(a => h('tr', {},
    h('td', {}, h('span', { class: `badge ${a.severity}` }, a.severity)),
    h('td', {}, h('a', { href: `#/alerts/${a.id}`, class: 'alert-link' }, `${a.marker} · ${regionName(a.region)}`)),
    h('td', {}, a.kind),
    h('td', {}, a.status),
    h('td', {}, day(a.bucketStart)),
    h('td', { class: 'num' }, pct(a.observed)),
    h('td', { class: 'num' }, pct(a.expected)),
    h('td', { class: 'num' }, a.pValue.toPrecision(2)),
    h('td', {}, dateTime(a.updatedAt)),
  ));
  wait.replaceWith(h('table', { id: 'alerts-table' },
    h('caption', {}, `${page.total} alert${page.total === 1 ? '' : 's'}, newest change first`),
    h('thead', {}, h('tr', {}, ...['Severity', 'Series', 'Kind', 'Status', 'Bucket', 'Observed', 'Expected', 'p-value', 'Updated'].map(t => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, ...rows)));
}

async function alertDetail(main: HTMLElement, id: string): Promise<void> {
  main.append(h('p', {}, h('a', { href: '#/alerts' }, '← All alerts')));
  let a: AlertView;
  let ev: AlertEvidence;
  try {
    [a, ev] = await Promise.all([get<AlertView>(`/alerts/${id}`), get<AlertEvidence>(`/alerts/${id}/evidence`)]);
  } catch (e) {
    main.append(errorBox(e));
    return;
  }
  main.append(
    h('h1', {}, h('span', { class: `badge ${a.severity}` }, a.severity), ` ${a.marker} · ${regionName(a.region)}`),
    h('dl', { class: 'facts', id: 'alert-facts' },
      ...([
        ['Status', a.status + (a.resolvedAt ? ` (resolved ${dateTime(a.resolvedAt)}: ${a.resolutionReason ?? ''})` : '')],
        ['Kind', a.kind === 'forecast' ? 'forecast: the forecast crossed the threshold' : 'observed: the observed value crossed the threshold'],
        ['Detector', a.method],
        ['p-value', a.pValue.toPrecision(3)],
        ['Bucket', `${day(a.bucketStart)} (${a.granularity})`],
        ['Observed / expected / threshold', `${pct(a.observed, 2)} / ${pct(a.expected, 2)} / ${pct(a.threshold, 2)}`],
        ['Opened / updated', `${dateTime(a.openedAt)} / ${dateTime(a.updatedAt)} (revision ${a.revision})`],
      ] as [string, string][]).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
  );

  const g = a.granularity;
  const start = new Date(a.bucketStart).getTime();
  const from = new Date(start - 45 * STEP_MS[g]).toISOString();
  const to = new Date(start + 15 * STEP_MS[g]).toISOString();
  const seriesBox = h('div', { id: 'alert-series', class: 'chart small', role: 'img', 'aria-label': `The series around the alert, with the threshold` });
  const shiftBox = h('div', { id: 'word-shift', class: 'chart', role: 'img', 'aria-label': 'Word shift: the terms that rose most against the baseline' });
  main.append(h('h2', {}, 'The series and the forecast that crossed'), seriesBox,
    h('h2', {}, 'Evidence: word shift'),
    h('p', { class: 'muted' }, `The terms whose share rose most against the baseline; only n-grams used by at least ${ev.minTermAuthors} distinct authors, never posts, handles, e-mails, phone numbers or URLs.`),
    ev.risingTerms.length === 0 ? h('p', { id: 'no-terms' }, 'No term passed the privacy threshold for this alert.') : shiftBox);

  try {
    const [data, forecasts] = await Promise.all([
      get<SeriesResponse>('/series', { marker: a.marker, region: a.region, granularity: g, from, to }),
      get<ForecastView[]>('/forecasts', { marker: a.marker, region: a.region, granularity: g }),
    ]);
    chart(seriesBox).setOption(seriesOption({ data, forecasts, alerts: [a], annotations: [], showForecast: true, showInterval: true, threshold: a.threshold }));
  } catch (e) {
    seriesBox.replaceWith(errorBox(e));
  }

  if (ev.risingTerms.length > 0) {
    const terms = [...ev.risingTerms].sort((x, y) => x.contribution - y.contribution).slice(-20);
    shiftBox.style.height = `${Math.max(220, terms.length * 26 + 60)}px`;
    chart(shiftBox).setOption({
      animation: false,
      aria: { enabled: true },
      grid: { left: 140, right: 40, top: 30, bottom: 30 },
      legend: { top: 0 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: unknown) => pct(v as number, 2) },
      xAxis: { type: 'value', axisLabel: { formatter: (v: number) => `${(v * 100).toFixed(1)} %` } },
      yAxis: { type: 'category', data: terms.map(t => t.term) },
      series: [
        { type: 'bar', name: 'baseline share', data: terms.map(t => t.baselineShare), itemStyle: { color: OKABE_ITO[4] } },
        { type: 'bar', name: 'current share', data: terms.map(t => t.currentShare), itemStyle: { color: a.severity === 'red' ? RED : YELLOW } },
        { type: 'bar', name: 'contribution', data: terms.map(t => t.contribution), itemStyle: { color: SERIES[0] } },
      ],
    });
  }
}
