// Models and methods: what each marker means, how it is scored, and its known limits.
import { families, FAMILY_TITLES, getMarkers } from '../catalogue';
import { day, h } from '../util';

export async function modelsPage(main: HTMLElement): Promise<void> {
  main.append(h('h1', {}, 'Models and methods'),
    h('p', {}, 'Each line on this dashboard is the adjusted prevalence (Forman 2008, clipped to [0, 1]) of a marker among the scored posts of a region and period, with a 95 % interval. Suppressed cells (fewer than 11 posts or 50 distinct authors) are gaps. Forecasts carry 80 % and 95 % bands; alerts need p < 0.05 (yellow) or p < 0.01 (red) and at least 200 distinct authors in the region-week.'),
    h('p', { class: 'muted' }, 'These are population screens from public text, never diagnoses of anyone.'));
  const fams = families(await getMarkers());
  for (const [family, list] of fams) {
    const limits = list[0].knownLimits;
    const methods = [...new Set(list.map(m => m.method))];
    const versions = [...new Set(list.map(m => m.modelVersion ?? 'not announced by the Classifier yet'))];
    const trained = [...new Set(list.map(m => m.modelTrainedAt).filter((t): t is string => !!t))].map(t => day(t));
    main.append(h('section', { class: 'model', id: `model-${family}`, 'aria-labelledby': `model-${family}-title` },
      h('h2', { id: `model-${family}-title` }, FAMILY_TITLES[family] ?? family),
      h('h3', {}, 'Model card'),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Method'), h('dd', {}, methods.join(' ')),
        h('dt', {}, 'Model version'), h('dd', { class: 'model-version' }, versions.join(', ')),
        trained.length ? h('dt', {}, 'Trained') : null, trained.length ? h('dd', {}, trained.join(', ')) : null,
        h('dt', {}, 'Known limits'), h('dd', {}, limits.length ? h('ul', {}, ...limits.map(l => h('li', {}, l))) : 'none recorded')),
      h('details', {}, h('summary', {}, `${list.length} marker${list.length === 1 ? '' : 's'}`),
        h('dl', { class: 'markers' }, ...list.flatMap(m => [h('dt', {}, h('code', {}, m.name)), h('dd', {}, m.description)])))));
  }
}
