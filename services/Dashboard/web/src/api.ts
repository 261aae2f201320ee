// A thin client of the Dashboard API (/api/v1). The key lives in localStorage and goes in the X-Api-Key header.

const KEY = 'monitoring.apiKey';

export function apiKey(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function setApiKey(key: string | null): void {
  if (key) localStorage.setItem(KEY, key);
  else localStorage.removeItem(KEY);
}

/** An error answer of the API (Problem Details, RFC 9457). */
export class ApiError extends Error {
  constructor(public status: number, public title: string, public detail: string) {
    super(`${status} ${title}: ${detail}`);
  }
}

export type Query = Record<string, string | number | boolean | string[] | undefined | null>;

export function url(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) {
      if (v.length > 0) params.set(k, v.join(','));
    } else params.set(k, String(v));
  }
  const qs = params.toString();
  return `/api/v1${path}${qs ? '?' + qs : ''}`;
}

async function request(method: string, path: string, query: Query = {}, body?: unknown, accept = 'application/json'): Promise<Response> {
  const headers: Record<string, string> = { Accept: accept };
  const key = apiKey();
  if (key) headers['X-Api-Key'] = key;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(url(path, query), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) {
    let title = res.statusText;
    let detail = '';
    try {
      const p = await res.json();
      title = p.title ?? title;
      detail = p.detail ?? '';
    } catch {
      /* not Problem Details */
    }
    if (res.status === 401) detail = detail || 'This page needs an API key: paste one in the box at the top.';
    if (res.status === 403) detail = detail || "The API key's role does not allow this.";
    throw new ApiError(res.status, title, detail);
  }
  return res;
}

export async function get<T>(path: string, query: Query = {}): Promise<T> {
  return (await request('GET', path, query)).json() as Promise<T>;
}

export async function post<T>(path: string, body: unknown): Promise<T> {
  return (await request('POST', path, {}, body)).json() as Promise<T>;
}

export async function del(path: string): Promise<void> {
  await request('DELETE', path);
}

export async function text(path: string, query: Query, accept: string): Promise<string> {
  return (await request('GET', path, query, undefined, accept)).text();
}

// ---- the API's shapes -------------------------------------------------------------------------------------------

export type Granularity = 'hour' | 'day' | 'week';

export interface MarkerInfo {
  name: string;
  family: string;
  description: string;
  method: string;
  /** The model (or rule set) version the Classifier announced for this marker; null until it has. */
  modelVersion: string | null;
  modelTrainedAt: string | null;
  knownLimits: string[];
}

export interface RegionInfo {
  code: string;
  isTotal: boolean;
  firstBucket: string | null;
  lastBucket: string | null;
}

export interface SeriesPoint {
  start: string;
  suppressed: boolean;
  posts: number | null;
  authors: number | null;
  prevalence: number | null;
  lower95: number | null;
  upper95: number | null;
  knownAt: string | null;
  dayOverDay: number | null;
  weekOverWeek: number | null;
}

export interface SeriesResult {
  marker: string;
  region: string;
  topic: string | null;
  granularity: Granularity;
  points: SeriesPoint[];
}

export interface SeriesResponse {
  granularity: Granularity;
  from: string;
  to: string;
  asOf: string | null;
  suppression: { minPosts: number; minAuthors: number; note: string };
  series: SeriesResult[];
}

export interface ForecastPoint {
  start: string;
  mean: number;
  lower80: number;
  upper80: number;
  lower95: number;
  upper95: number;
}

export interface ForecastView {
  marker: string;
  region: string;
  granularity: Granularity;
  topic: string | null;
  method: string;
  issuedAt: string;
  points: ForecastPoint[];
}

export interface AlertView {
  id: string;
  revision: number;
  marker: string;
  region: string;
  granularity: Granularity;
  topic: string | null;
  kind: 'observed' | 'forecast';
  severity: 'yellow' | 'red';
  status: AlertStatus;
  openedAt: string;
  updatedAt: string;
  bucketStart: string;
  observed: number;
  expected: number;
  threshold: number;
  method: string;
  pValue: number;
  resolvedAt: string | null;
  resolutionReason: string | null;
  acknowledgement: AlertAction | null;
  manualResolution: AlertAction | null;
}

export type AlertStatus = 'open' | 'acknowledged' | 'resolved';

/** An analyst's acknowledgement or manual resolution: when, which API key (its name), and the note. */
export interface AlertAction {
  at: string;
  by: string;
  keyId: string | null;
  note: string | null;
}

/** GET /api/v1/me: the calling key. */
export interface CurrentKey {
  authenticated: boolean;
  keyId: string | null;
  name: string | null;
  roles: string[];
}

export interface AlertPage {
  items: AlertView[];
  page: number;
  pageSize: number;
  total: number;
}

export interface EvidenceTerm {
  term: string;
  baselineShare: number;
  currentShare: number;
  contribution: number;
}

export interface AlertEvidence {
  alertId: string;
  revision: number;
  marker: string;
  region: string;
  bucketStart: string;
  minTermAuthors: number;
  risingTerms: EvidenceTerm[];
}

export interface AnnotationView {
  id: string;
  title: string;
  date: string;
  region: string;
  link: string | null;
  createdAt: string;
}

export interface SubscriptionView {
  id: string;
  name: string;
  channel: 'webhook' | 'email';
  target: string;
  markers: string[];
  regions: string[];
  kinds: string[];
  minSeverity: 'yellow' | 'red';
  quietPeriodMinutes: number;
  notifyOnChangeOnly: boolean;
  active: boolean;
  createdAt: string;
}

export interface CreatedSubscription {
  subscription: SubscriptionView;
  signingSecret: string | null;
}

export interface ApiKeyInfo {
  id: string;
  prefix: string;
  role: string;
  name: string;
  createdAt: string;
  revokedAt?: string | null;
  lastUsedAt?: string | null;
}

export interface UiConfig {
  demo: boolean;
}
