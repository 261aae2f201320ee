// Markers and regions, fetched once per page load.
import { get, type MarkerInfo, type RegionInfo, type UiConfig } from './api';

let markers: Promise<MarkerInfo[]> | null = null;
let regions: Promise<RegionInfo[]> | null = null;

export function getMarkers(): Promise<MarkerInfo[]> {
  markers ??= get<MarkerInfo[]>('/markers').catch(e => { markers = null; throw e; });
  return markers;
}

export function getRegions(): Promise<RegionInfo[]> {
  regions ??= get<RegionInfo[]>('/regions').catch(e => { regions = null; throw e; });
  return regions;
}

export function resetCatalogue(): void {
  markers = null;
  regions = null;
}

export async function uiConfig(): Promise<UiConfig> {
  try {
    const res = await fetch('/ui/config.json', { headers: { Accept: 'application/json' } });
    return res.ok ? ((await res.json()) as UiConfig) : { demo: false };
  } catch {
    return { demo: false };
  }
}

/** The newest bucket over the given regions (or all), as ISO text. */
export function lastBucket(list: RegionInfo[], codes?: string[]): string | null {
  let best: string | null = null;
  for (const r of list) {
    if (codes && !codes.includes(r.code)) continue;
    if (r.lastBucket && (best === null || r.lastBucket > best)) best = r.lastBucket;
  }
  return best;
}

/** The headline marker of each family on the overview (each card lets the analyst pick another of its family). */
export const HEADLINE: Record<string, string> = {
  emotion: 'emotion.sadness',
  ekman: 'ekman.fear',
  sentiment: 'sentiment.negative',
  loneliness: 'loneliness',
  hostility: 'hostility',
  polarization: 'polarization.outgroup',
  dsm5: 'dsm5.episode_screen',
};

export const FAMILY_TITLES: Record<string, string> = {
  emotion: 'Emotions (GoEmotions)',
  ekman: 'Ekman basic emotions',
  sentiment: 'Sentiment',
  loneliness: 'Loneliness',
  hostility: 'Hostility',
  polarization: 'Polarization',
  dsm5: 'DSM-5 symptom screen',
};

export function families(list: MarkerInfo[]): Map<string, MarkerInfo[]> {
  const map = new Map<string, MarkerInfo[]>();
  for (const m of list) {
    if (!map.has(m.family)) map.set(m.family, []);
    map.get(m.family)!.push(m);
  }
  return map;
}
