import './style.css';
import { apiKey, setApiKey } from './api';
import { disposeAll } from './echarts';
import { resetCatalogue, uiConfig } from './catalogue';
import { errorBox } from './util';

type Page = (main: HTMLElement, params: URLSearchParams) => Promise<void> | void;

const pages: Record<string, () => Promise<Page>> = {
  overview: async () => (await import('./pages/overview')).overviewPage,
  explorer: async () => (await import('./pages/explorer')).explorerPage,
  map: async () => (await import('./pages/map')).mapPage,
  alerts: async () => (await import('./pages/alerts')).alertsPage,
  subscriptions: async () => (await import('./pages/subscriptions')).subscriptionsPage,
  annotations: async () => (await import('./pages/annotations')).annotationsPage,
  keys: async () => (await import('./pages/keys')).keysPage,
  models: async () => (await import('./pages/models')).modelsPage,
};

const titles: Record<string, string> = {
  overview: 'Overview', explorer: 'Series explorer', map: 'Map', alerts: 'Alerts', subscriptions: 'Subscriptions',
  annotations: 'Annotations', keys: 'API keys', models: 'Models and methods',
};

/** Parses "#/page/rest?query" into the page name, the rest of the path and the query. */
export function route(hash: string): { page: string; rest: string; params: URLSearchParams } {
  const [path, query = ''] = hash.replace(/^#\/?/, '').split('?');
  const [page = '', ...rest] = path.split('/');
  return { page: pages[page] ? page : 'overview', rest: rest.join('/'), params: new URLSearchParams(query) };
}

let generation = 0;

async function render(): Promise<void> {
  const main = document.getElementById('main')!;
  const { page, rest, params } = route(location.hash);
  if (rest) params.set('_rest', rest);
  const mine = ++generation;
  disposeAll();
  main.replaceChildren();
  document.title = `${titles[page]} · Monitoring`;
  for (const a of document.querySelectorAll<HTMLAnchorElement>('#nav a')) {
    if (a.dataset.page === page) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  try {
    const fn = await pages[page]();
    if (mine !== generation) return;
    await fn(main, params);
  } catch (e) {
    if (mine === generation) main.append(errorBox(e));
  }
}

function keyBox(): void {
  const form = document.getElementById('key-form') as HTMLFormElement;
  const input = document.getElementById('api-key') as HTMLInputElement;
  const status = document.getElementById('key-status')!;
  const show = () => { status.textContent = apiKey() ? 'Key saved in this browser.' : 'No key: read-only pages work only if anonymous reading is on.'; };
  input.value = apiKey() ?? '';
  show();
  form.addEventListener('submit', e => {
    e.preventDefault();
    setApiKey(input.value.trim() || null);
    resetCatalogue();
    show();
    void render();
  });
  document.getElementById('forget-key')!.addEventListener('click', () => {
    setApiKey(null);
    input.value = '';
    resetCatalogue();
    show();
    void render();
  });
}

keyBox();
window.addEventListener('hashchange', () => void render());
void uiConfig().then(c => { document.getElementById('demo-banner')!.hidden = !c.demo; });
void render();
