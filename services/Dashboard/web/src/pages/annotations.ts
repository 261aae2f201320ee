// Annotations: crisis events drawn on every chart. Everyone who reads sees them; analysts add, edit and delete.
import { apiKey, del, get, post, type AnnotationView } from '../api';
import { getRegions } from '../catalogue';
import { errorBox, go, h, loading, regionName } from '../util';
import { field } from './subscriptions';

export async function annotationsPage(main: HTMLElement, params: URLSearchParams): Promise<void> {
  main.append(h('h1', {}, 'Annotations'), h('p', { class: 'muted' }, 'Crisis events and other context, drawn as dotted lines on the series charts.'));
  const wait = loading();
  main.append(wait);
  const [list, regions] = await Promise.all([get<AnnotationView[]>('/annotations'), getRegions()]);
  const editing = list.find(a => a.id === params.get('edit'));
  const status = h('div', { id: 'annotation-status', role: 'status', 'aria-live': 'polite' });
  const canEdit = apiKey() !== null;
  const table = list.length === 0 ? h('p', {}, 'No annotations yet.') : h('table', { id: 'annotations-table' },
    h('caption', {}, `${list.length} event${list.length === 1 ? '' : 's'}`),
    h('thead', {}, h('tr', {}, ...['Date', 'Title', 'Region', 'Link', ''].map(t => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, ...list.map(a => h('tr', {},
      h('td', {}, a.date), h('td', {}, a.title), h('td', {}, regionName(a.region)),
      h('td', {}, a.link ? h('a', { href: a.link, rel: 'noopener noreferrer', target: '_blank' }, 'source') : '–'),
      h('td', {}, canEdit ? h('a', { href: `#/annotations?edit=${a.id}`, 'aria-label': `Edit ${a.title}` }, 'Edit') : null, ' ',
        canEdit ? h('button', { type: 'button', 'aria-label': `Delete ${a.title}`, onclick: async () => {
          if (!confirm(`Delete “${a.title}”?`)) return;
          try { await del(`/annotations/${a.id}`); go('#/annotations'); } catch (e) { status.replaceChildren(errorBox(e)); }
        } }, 'Delete') : null)))));
  const form = h('form', { id: 'annotation-form', class: 'form' },
    h('h2', {}, editing ? `Edit “${editing.title}”` : 'New annotation'),
    editing ? h('p', { class: 'muted' }, 'The API has no update: saving adds the changed event and deletes this one.') : null,
    field('ann-title', 'Title', h('input', { id: 'ann-title', required: true, maxlength: 200, value: editing?.title ?? '' })),
    field('ann-date', 'Date', h('input', { id: 'ann-date', type: 'date', required: true, value: editing?.date ?? '' })),
    field('ann-region', 'Region', h('select', { id: 'ann-region' }, ...regions.map(r => h('option', { value: r.code, selected: (editing?.region ?? 'all') === r.code }, regionName(r.code))))),
    field('ann-link', 'Link (optional, http or https)', h('input', { id: 'ann-link', type: 'url', value: editing?.link ?? '' })),
    h('div', { class: 'buttons' }, h('button', { type: 'submit', id: 'ann-save' }, editing ? 'Save changes' : 'Add annotation'), editing ? h('a', { href: '#/annotations' }, 'Cancel') : null),
    status);
  form.addEventListener('submit', async e => {
    e.preventDefault();
    const v = (id: string) => (form.querySelector(`#${id}`) as HTMLInputElement).value;
    try {
      await post('/annotations', { title: v('ann-title'), date: v('ann-date'), region: v('ann-region'), link: v('ann-link') || null });
      if (editing) await del(`/annotations/${editing.id}`);
      go('#/annotations');
    } catch (err) {
      status.replaceChildren(errorBox(err));
    }
  });
  wait.replaceWith(table, canEdit ? form : h('p', { class: 'muted' }, 'Adding events needs an analyst API key.'));
}
