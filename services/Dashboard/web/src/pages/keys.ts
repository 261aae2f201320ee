// API keys (admins): list, create (the secret is shown once), revoke.
import { apiKey, del, get, post, type ApiKeyInfo } from '../api';
import { dateTime, errorBox, go, h, loading } from '../util';
import { field } from './subscriptions';

export async function keysPage(main: HTMLElement): Promise<void> {
  main.append(h('h1', {}, 'API keys'));
  if (!apiKey()) {
    main.append(h('p', { class: 'error', role: 'alert' }, 'Managing keys needs an admin API key (printed once by the first start of monitoring run).'));
    return;
  }
  const wait = loading();
  main.append(wait);
  const list = await get<ApiKeyInfo[]>('/keys');
  const status = h('div', { id: 'key-admin-status', role: 'status', 'aria-live': 'polite' });
  const form = h('form', { id: 'key-create-form', class: 'form' },
    h('h2', {}, 'New key'),
    field('key-role', 'Role', h('select', { id: 'key-role' }, ...['viewer', 'analyst', 'admin', 'ingest'].map(r => h('option', { value: r }, r)))),
    field('key-name', 'Name', h('input', { id: 'key-name', maxlength: 200, placeholder: 'e.g. health ministry analysts' })),
    h('button', { type: 'submit' }, 'Create key'), status);
  form.addEventListener('submit', async e => {
    e.preventDefault();
    try {
      const created = await post<{ key: ApiKeyInfo; secret: string }>('/keys', {
        role: (form.querySelector('#key-role') as HTMLSelectElement).value, name: (form.querySelector('#key-name') as HTMLInputElement).value,
      });
      status.replaceChildren(h('p', {}, `Created ${created.key.role} key “${created.key.name}”. Its secret, shown only this once:`), h('code', { class: 'secret' }, created.secret));
    } catch (err) {
      status.replaceChildren(errorBox(err));
    }
  });
  wait.replaceWith(h('table', { id: 'keys-table' },
    h('caption', {}, 'Keys are stored hashed: only their prefix is shown.'),
    h('thead', {}, h('tr', {}, ...['Prefix', 'Role', 'Name', 'Created', 'Revoked', ''].map(t => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, ...list.map(k => h('tr', {},
      h('td', {}, h('code', {}, k.prefix)), h('td', {}, k.role), h('td', {}, k.name), h('td', {}, dateTime(k.createdAt)), h('td', {}, k.revokedAt ? dateTime(k.revokedAt) : '–'),
      h('td', {}, k.revokedAt ? null : h('button', { type: 'button', 'aria-label': `Revoke ${k.name}`, onclick: async () => {
        if (!confirm(`Revoke “${k.name}” (${k.prefix})? Clients using it lose access within 30 s.`)) return;
        try { await del(`/keys/${k.id}`); go('#/keys'); } catch (err) { status.replaceChildren(errorBox(err)); }
      } }, 'Revoke')))))), form);
}
