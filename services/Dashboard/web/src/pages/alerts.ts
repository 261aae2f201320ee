// Alerts: a filterable list and a detail with the evidence (word shift), detector, p-value and the forecast that crossed;
// analysts acknowledge and resolve alerts there.
import { get, post, type AlertEvidence, type AlertPage, type AlertView, type CurrentKey, type ForecastView, type SeriesResponse } from '../api';
import { getRegions } from '../catalogue';
import { chart } from '../echarts';
import { RED, SERIES, YELLOW, OKABE_ITO } from '../palette';
import { seriesOption } from '../seriesChart';
import { dateTime, day, errorBox, go, h, loading, pct, regionName, STEP_MS } from '../util';

/** The status as a sentence: who acknowledged or resolved it, when, and their note. */
export function statusText(a: AlertView): string {
  const note = (n: string | null) => (n ? `: “${n}”` : '');
  if (a.status === 'resolved') {
    return a.manualResolution
      ? `resolved by ${a.manualResolution.by} on ${dateTime(a.manualResolution.at)}${note(a.manualResolution.note)}`
      : `resolved ${dateTime(a.resolvedAt)}${a.resolutionReason ? ` (${a.resolutionReason})` : ''}`;
  }
  if (a.status === 'acknowledged' && a.acknowledgement) {
    return `acknowledged by ${a.acknowledgement.by} on ${dateTime(a.acknowledgement.at)}${note(a.acknowledgement.note)}`;
  }
  return a.status;
}

export async function alertsPage(main: HTMLElement, params: URLSearchParams): Promise<void> {
  const id = params.get('_rest');
  if (id) return alertDetail(main, id);
  main.append(h('h1', {}, 'Alerts'));
  const regions = await getRegions();
  const status = params.get('status') ?? '';
  const region = params.get('region') ?? '';
  const statusSelect = h('select', { id: 'alert-status' },
    ...[['', 'any status'], ['open,acknowledged', 'open or acknowledged'], ['open', 'open (not acknowledged)'], ['acknowledged', 'acknowledged'], ['resolved', 'resolved']].map(([v, t]) => h('option', { value: v, selected: v === status }, t)));
  const regionSelect = h('select', { id: 'alert-region' },
    h('option', { value: '' }, 'every region'),
    ...regions.filter(r => !r.isTotal).map(r => h('option', { value: r.code, selected: r.code === region }, regionName(r.code))));
  const apply = () => { location.hash = `#/alerts?status=${statusSelect.value}&region=${regionSelect.value}`; };
  statusSelect.addEventListener('change', apply);
  regionSelect.addEventListener('change', apply);
  main.append(
    h('div', { class: 'toolbar' }, h('label', { for: 'alert-status' }, 'Status'), statusSelect, h('label', { for: 'alert-region' }, 'Region'), regionSelect),
    h('p', { class: 'muted' }, 'Alerts on region-weeks with fewer than 200 distinct authors are never shown. Alerts resolve when the detector sees the series return to normal; analysts can acknowledge or resolve one by hand on its page.'),
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
    h('td', {}, h('span', { class: `status ${a.status}`, title: statusText(a) }, a.status)),
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
  let me: CurrentKey;
  try {
    [a, ev, me] = await Promise.all([get<AlertView>(`/alerts/${id}`), get<AlertEvidence>(`/alerts/${id}/evidence`), get<CurrentKey>('/me')]);
  } catch (e) {
    main.append(errorBox(e));
    return;
  }
  main.append(
    h('h1', {}, h('span', { class: `badge ${a.severity}` }, a.severity), ` ${a.marker} · ${regionName(a.region)}`),
    h('dl', { class: 'facts', id: 'alert-facts' },
      ...([
        ['Status', statusText(a)],
        ['Kind', a.kind === 'forecast' ? 'forecast: the forecast crossed the threshold' : 'observed: the observed value crossed the threshold'],
        ['Detector', a.method],
        ['p-value', a.pValue.toPrecision(3)],
        ['Bucket', `${day(a.bucketStart)} (${a.granularity})`],
        ['Observed / expected / threshold', `${pct(a.observed, 2)} / ${pct(a.expected, 2)} / ${pct(a.threshold, 2)}`],
        ['Opened / updated', `${dateTime(a.openedAt)} / ${dateTime(a.updatedAt)} (revision ${a.revision})`],
      ] as [string, string][]).flatMap(([k, v]) => [h('dt', {}, k), h('dd', { id: k === 'Status' ? 'alert-status-text' : undefined }, v)])),
    actions(a, me),
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

/** Acknowledge and Resolve, for analyst and admin keys; others are told what it takes. */
function actions(a: AlertView, me: CurrentKey): HTMLElement {
  const section = h('section', { id: 'alert-actions', 'aria-labelledby': 'alert-actions-title' }, h('h2', { id: 'alert-actions-title' }, 'Actions'));
  if (a.status === 'resolved') {
    section.append(h('p', { class: 'muted' }, 'This alert is resolved. It reopens by itself if the detector raises it again at a higher severity.'));
    return section;
  }
  if (!me.roles.includes('analyst')) {
    section.append(h('p', { class: 'muted', id: 'alert-actions-need-key' },
      me.authenticated ? `Acknowledging and resolving need an analyst (or admin) API key; “${me.name ?? ''}” is not one.` : 'Acknowledging and resolving need an analyst (or admin) API key: paste it in the box at the top.'));
    return section;
  }
  const status = h('div', { id: 'alert-action-status', role: 'status', 'aria-live': 'polite' });
  const note = h('textarea', { id: 'alert-note', name: 'note', rows: 2, maxlength: 1000 });
  const ack = h('button', { type: 'button', id: 'alert-acknowledge', disabled: a.status !== 'open' }, a.status === 'acknowledged' ? 'Acknowledged' : 'Acknowledge');
  const resolve = h('button', { type: 'button', id: 'alert-resolve' }, 'Resolve');
  const act = async (what: 'acknowledge' | 'resolve') => {
    ack.disabled = true;
    resolve.disabled = true;
    try {
      const text = note.value.trim();
      await post<AlertView>(`/alerts/${a.id}/${what}`, text ? { note: text } : {});
      go(location.hash);
    } catch (err) {
      status.replaceChildren(errorBox(err));
      ack.disabled = a.status !== 'open';
      resolve.disabled = false;
    }
  };
  ack.addEventListener('click', () => void act('acknowledge'));
  resolve.addEventListener('click', () => void act('resolve'));
  section.append(
    h('p', { class: 'muted' }, 'Acknowledge: you are on it; it stays acknowledged while the incident lasts. Resolve: it is over; subscribers who heard of it are told, and further updates stay quiet unless the severity rises.'),
    h('div', { class: 'form' },
      h('label', { for: 'alert-note' }, 'Note (optional, shown with the alert)'), note,
      h('div', { class: 'buttons' }, ack, resolve)),
    status);
  return section;
}
