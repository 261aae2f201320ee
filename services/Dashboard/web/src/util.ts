// Small DOM and formatting helpers; pure functions here are unit-tested (util.test.ts).

type Attrs = Record<string, string | number | boolean | undefined | null | ((e: Event) => void)>;

/** Creates an element; attributes starting with "on" are listeners; text children are escaped by construction. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Node | string | null | undefined | false)[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return el;
}

export function pct(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined || Number.isNaN(v) ? '–' : `${(v * 100).toFixed(digits)} %`;
}

/** A change in percentage points with its sign. */
export function pp(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  const x = v * 100;
  const sign = x > 0 ? '+' : x < 0 ? '−' : '±';
  return `${sign}${Math.abs(x).toFixed(digits)} pp`;
}

export function day(iso: string | null | undefined): string {
  return iso ? iso.slice(0, 10) : '–';
}

export function dateTime(iso: string | null | undefined): string {
  return iso ? iso.replace('T', ' ').slice(0, 16) + ' UTC' : '–';
}

export const STEP_MS: Record<'hour' | 'day' | 'week', number> = { hour: 3_600_000, day: 86_400_000, week: 7 * 86_400_000 };

/** How many buckets the explorer shows by default at each granularity. */
export const DEFAULT_BUCKETS: Record<'hour' | 'day' | 'week', number> = { hour: 24 * 14, day: 150, week: 60 };

/** The window [from, to) that ends after the newest bucket we know of (or now) and spans n buckets. */
export function windowEnding(last: string | null | undefined, g: 'hour' | 'day' | 'week', n = DEFAULT_BUCKETS[g]): { from: string; to: string } {
  const end = last ? new Date(last).getTime() + STEP_MS[g] : Date.now();
  const endDay = g === 'hour' ? Math.ceil(end / STEP_MS.hour) * STEP_MS.hour : Math.ceil(end / STEP_MS.day) * STEP_MS.day;
  const from = endDay - n * STEP_MS[g];
  return { from: new Date(from).toISOString(), to: new Date(endDay).toISOString() };
}

/**
 * Line data for a series: suppressed buckets become null (a gap in the chart, never a zero), and so do buckets missing
 * between two known ones.
 */
export function lineData(points: { start: string; suppressed: boolean; prevalence: number | null }[], stepMs: number): [number, number | null][] {
  const out: [number, number | null][] = [];
  let prev: number | null = null;
  for (const p of points) {
    const t = new Date(p.start).getTime();
    if (prev !== null && t - prev > stepMs * 1.5) out.push([prev + stepMs, null]);
    out.push([t, p.suppressed ? null : p.prevalence]);
    prev = t;
  }
  return out;
}

/** Runs of consecutive suppressed buckets as [start, end) times, for shading them with an explanation. */
export function suppressedRuns(points: { start: string; suppressed: boolean }[], stepMs: number): [number, number][] {
  const runs: [number, number][] = [];
  for (const p of points) {
    if (!p.suppressed) continue;
    const t = new Date(p.start).getTime();
    const last = runs[runs.length - 1];
    if (last && last[1] === t) last[1] = t + stepMs;
    else runs.push([t, t + stepMs]);
  }
  return runs;
}

/** The newest shown (not suppressed) point of a series. */
export function latest<T extends { suppressed: boolean; prevalence: number | null }>(points: T[]): T | undefined {
  for (let i = points.length - 1; i >= 0; i--) if (!points[i].suppressed && points[i].prevalence !== null) return points[i];
  return undefined;
}

/** Mean prevalence of the last 7 days shown against the 7 before them (null when either week has no shown cell). */
export function weekChange(points: { start: string; suppressed: boolean; prevalence: number | null }[]): number | null {
  const shown = points.filter(p => !p.suppressed && p.prevalence !== null);
  if (shown.length === 0) return null;
  const end = new Date(shown[shown.length - 1].start).getTime();
  const mean = (a: number, b: number) => {
    const xs = shown.filter(p => { const t = new Date(p.start).getTime(); return t > end - b && t <= end - a; }).map(p => p.prevalence as number);
    return xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null;
  };
  const thisWeek = mean(0, 7 * 86_400_000);
  const lastWeek = mean(7 * 86_400_000, 14 * 86_400_000);
  return thisWeek === null || lastWeek === null ? null : thisWeek - lastWeek;
}

export function download(name: string, href: string): void {
  const a = h('a', { href, download: name });
  document.body.append(a);
  a.click();
  a.remove();
}

export function errorBox(e: unknown): HTMLElement {
  const msg = e instanceof Error ? e.message : String(e);
  return h('p', { class: 'error', role: 'alert' }, msg);
}

export function loading(): HTMLElement {
  return h('p', { class: 'muted' }, 'Loading…');
}

/** Names of the regions of the embedded demo and of Argentina's provinces (ISO 3166-2:AR). */
export const REGION_NAMES: Record<string, string> = {
  all: 'All regions', unknown: 'Unknown region',
  'AR-C': 'Ciudad de Buenos Aires', 'AR-B': 'Buenos Aires', 'AR-K': 'Catamarca', 'AR-H': 'Chaco', 'AR-U': 'Chubut',
  'AR-X': 'Córdoba', 'AR-W': 'Corrientes', 'AR-E': 'Entre Ríos', 'AR-P': 'Formosa', 'AR-Y': 'Jujuy', 'AR-L': 'La Pampa',
  'AR-F': 'La Rioja', 'AR-M': 'Mendoza', 'AR-N': 'Misiones', 'AR-Q': 'Neuquén', 'AR-R': 'Río Negro', 'AR-A': 'Salta',
  'AR-J': 'San Juan', 'AR-D': 'San Luis', 'AR-Z': 'Santa Cruz', 'AR-S': 'Santa Fe', 'AR-G': 'Santiago del Estero',
  'AR-V': 'Tierra del Fuego', 'AR-T': 'Tucumán',
};

export function regionName(code: string): string {
  const n = REGION_NAMES[code];
  return n ? (code === 'all' || code === 'unknown' ? n : `${n} (${code})`) : code;
}

/** Goes to a page, rendering it again when it is the current one. */
export function go(hash: string): void {
  if (location.hash === hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = hash;
}
