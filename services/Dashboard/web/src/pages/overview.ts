// One card per marker family: current prevalence, change against last week, open alerts and a sparkline.
import { get, type AlertPage, type SeriesResponse } from '../api';
import { families, FAMILY_TITLES, getMarkers, getRegions, HEADLINE, lastBucket } from '../catalogue';
import { chart } from '../echarts';
import { SERIES, SUPPRESSED_FILL } from '../palette';
import { day, errorBox, h, latest, lineData, loading, pct, pp, regionName, STEP_MS, suppressedRuns, weekChange, windowEnding } from '../util';

export async function overviewPage(main: HTMLElement, params: URLSearchParams): Promise<void> {
  main.append(h('h1', {}, 'Overview'));
  const wait = loading();
  main.append(wait);
  const [markers, regions] = await Promise.all([getMarkers(), getRegions()]);
  const region = params.get('region') && regions.some(r => r.code === params.get('region')) ? params.get('region')! : 'all';
  const fams = families(markers);
  const chosen = new Map<string, string>();
  for (const [f, list] of fams) {
    const wanted = params.get(f);
    chosen.set(f, wanted && list.some(m => m.name === wanted) ? wanted : HEADLINE[f] && list.some(m => m.name === HEADLINE[f]) ? HEADLINE[f] : list[0].name);
  }

  const select = h('select', { id: 'overview-region', name: 'region' },
    ...regions.map(r => h('option', { value: r.code, selected: r.code === region }, regionName(r.code))));
  select.addEventListener('change', () => { location.hash = `#/overview?region=${encodeURIComponent(select.value)}`; });
  const last = lastBucket(regions, [region]);
  wait.replaceWith(
    h('div', { class: 'toolbar' }, h('label', { for: 'overview-region' }, 'Region'), select,
      h('span', { class: 'muted' }, last ? `Newest day with data: ${day(last)}. Daily series, last 8 weeks.` : 'No data yet: the series appear as posts are scored.')),
  );
  const grid = h('div', { class: 'cards', role: 'list' });
  main.append(grid);

  const { from, to } = windowEnding(last, 'day', 56);
  let data: SeriesResponse;
  let alerts: AlertPage;
  try {
    [data, alerts] = await Promise.all([
      get<SeriesResponse>('/series', { marker: [...chosen.values()], region, granularity: 'day', from, to }),
      get<AlertPage>('/alerts', { status: 'open,acknowledged', region: region === 'all' ? undefined : region, pageSize: 200 }),
    ]);
  } catch (e) {
    grid.replaceWith(errorBox(e));
    return;
  }

  for (const [family, list] of fams) {
    const marker = chosen.get(family)!;
    const s = data.series.find(x => x.marker === marker);
    const points = s?.points ?? [];
    const now = latest(points);
    const change = weekChange(points);
    const open = alerts.items.filter(a => a.marker.split('.')[0] === family || (a.marker === family)).length;
    const id = `card-${family}`;
    const pick = h('select', { id: `${id}-marker`, 'aria-label': `Marker shown for ${FAMILY_TITLES[family] ?? family}` },
      ...list.map(m => h('option', { value: m.name, selected: m.name === marker }, m.name)));
    pick.addEventListener('change', () => {
      const p = new URLSearchParams(params);
      p.set(family, pick.value);
      p.set('region', region);
      p.delete('_rest');
      location.hash = `#/overview?${p}`;
    });
    const spark = h('div', { class: 'spark', role: 'img', 'aria-label': `Sparkline of ${marker} in ${regionName(region)}, last 8 weeks` });
    const suppressedCount = points.filter(p => p.suppressed).length;
    const card = h('article', { class: 'card', role: 'listitem', id, 'aria-labelledby': `${id}-title` },
      h('h2', { id: `${id}-title` }, FAMILY_TITLES[family] ?? family),
      pick,
      h('div', { class: 'figures' },
        h('div', {}, h('span', { class: 'big' }, pct(now?.prevalence)), h('span', { class: 'muted' }, now ? ` on ${day(now.start)}` : ' no shown cell')),
        h('div', {}, h('span', { class: change === null ? '' : change > 0 ? 'up' : 'down' }, pp(change)), h('span', { class: 'muted' }, ' vs last week')),
        h('div', {}, h('a', { href: `#/alerts?status=open,acknowledged&region=${region === 'all' ? '' : region}`, class: open > 0 ? 'alerts-open' : '' }, `${open} open alert${open === 1 ? '' : 's'}`)),
      ),
      spark,
      suppressedCount > 0 ? h('p', { class: 'note' }, `${suppressedCount} suppressed day${suppressedCount === 1 ? '' : 's'} shown as gaps (too few posts or authors).`) : null,
      h('a', { href: `#/explorer?m=${encodeURIComponent(marker)}&r=${encodeURIComponent(region)}&g=day`, class: 'more' }, 'Explore this series →'),
    );
    grid.append(card);
    const c = chart(spark);
    const step = STEP_MS.day;
    c.setOption({
      animation: false,
      grid: { left: 2, right: 2, top: 4, bottom: 4 },
      xAxis: { type: 'time', show: false },
      yAxis: { type: 'value', show: false, scale: true },
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (v === null || v === undefined ? 'suppressed' : pct(v as number, 2)) },
      series: [{
        type: 'line', data: lineData(points, step), showSymbol: false, connectNulls: false, lineStyle: { width: 1.5, color: SERIES[0] },
        areaStyle: { color: 'rgba(0,114,178,0.10)' },
        markArea: { silent: true, itemStyle: { color: SUPPRESSED_FILL }, data: suppressedRuns(points, step).map(([a, b]) => [{ xAxis: a }, { xAxis: b }]) },
      }],
    });
  }
}
