// Subscriptions (analysts): webhooks or e-mail for alerts by marker, region, kind and severity.
import { apiKey, del, get, post, type CreatedSubscription, type SubscriptionView } from '../api';
import { getMarkers, getRegions } from '../catalogue';
import { dateTime, errorBox, go, h, loading, regionName } from '../util';

export async function subscriptionsPage(main: HTMLElement, params: URLSearchParams): Promise<void> {
  main.append(h('h1', {}, 'Subscriptions'));
  if (!apiKey()) {
    main.append(h('p', { class: 'error', role: 'alert' }, 'Subscriptions need an analyst (or admin) API key: paste it in the box at the top.'));
    return;
  }
  const wait = loading();
  main.append(wait);
  const [list, markers, regions] = await Promise.all([get<SubscriptionView[]>('/subscriptions'), getMarkers(), getRegions()]);
  const editing = list.find(s => s.id === params.get('edit'));
  const status = h('div', { id: 'subscription-status', role: 'status', 'aria-live': 'polite' });

  const form = h('form', { id: 'subscription-form', class: 'form' },
    h('h2', {}, editing ? `Edit “${editing.name}”` : 'New subscription'),
    editing ? h('p', { class: 'muted' }, 'The API has no update: saving creates the changed subscription and then deletes this one (a webhook gets a new signing secret).') : null,
    field('sub-name', 'Name', h('input', { id: 'sub-name', name: 'name', required: true, maxlength: 200, value: editing?.name ?? '' })),
    field('sub-channel', 'Channel', h('select', { id: 'sub-channel', name: 'channel' },
      h('option', { value: 'webhook', selected: editing?.channel === 'webhook' }, 'webhook (HTTPS POST, signed)'),
      h('option', { value: 'email', selected: editing?.channel === 'email' }, 'e-mail'))),
    field('sub-target', 'Target (URL or e-mail address)', h('input', { id: 'sub-target', name: 'target', required: true, value: editing?.target ?? '' })),
    field('sub-markers', 'Markers (none: every marker)', h('select', { id: 'sub-markers', name: 'markers', multiple: true, size: 6 },
      ...markers.map(m => h('option', { value: m.name, selected: editing?.markers.includes(m.name) }, m.name)))),
    field('sub-regions', 'Regions (none: every region)', h('select', { id: 'sub-regions', name: 'regions', multiple: true, size: 4 },
      ...regions.map(r => h('option', { value: r.code, selected: editing?.regions.includes(r.code) }, regionName(r.code))))),
    h('fieldset', { class: 'inline' }, h('legend', {}, 'Kinds (none: both)'),
      h('input', { type: 'checkbox', id: 'sub-kind-observed', value: 'observed', checked: editing?.kinds.includes('observed') }), h('label', { for: 'sub-kind-observed' }, 'observed'),
      h('input', { type: 'checkbox', id: 'sub-kind-forecast', value: 'forecast', checked: editing?.kinds.includes('forecast') }), h('label', { for: 'sub-kind-forecast' }, 'forecast')),
    field('sub-severity', 'Minimum severity', h('select', { id: 'sub-severity', name: 'minSeverity' },
      h('option', { value: 'yellow', selected: editing?.minSeverity !== 'red' }, 'yellow (p < 0.05)'),
      h('option', { value: 'red', selected: editing?.minSeverity === 'red' }, 'red (p < 0.01)'))),
    field('sub-quiet', 'Quiet period (minutes)', h('input', { id: 'sub-quiet', name: 'quiet', type: 'number', min: 0, max: 10080, value: editing?.quietPeriodMinutes ?? 0 })),
    h('div', {}, h('input', { type: 'checkbox', id: 'sub-change-only', checked: editing?.notifyOnChangeOnly }), h('label', { for: 'sub-change-only' }, 'Notify only when severity or status changes')),
    h('div', { class: 'buttons' },
      h('button', { type: 'submit', id: 'sub-save' }, editing ? 'Save changes' : 'Create subscription'),
      editing ? h('a', { href: '#/subscriptions' }, 'Cancel') : null),
    status,
  );
  form.addEventListener('submit', async e => {
    e.preventDefault();
    const v = (id: string) => (form.querySelector(`#${id}`) as HTMLInputElement | HTMLSelectElement).value;
    const multi = (id: string) => [...(form.querySelector(`#${id}`) as HTMLSelectElement).selectedOptions].map(o => o.value);
    const kinds = ['observed', 'forecast'].filter(k => (form.querySelector(`#sub-kind-${k}`) as HTMLInputElement).checked);
    try {
      const created = await post<CreatedSubscription>('/subscriptions', {
        name: v('sub-name'), channel: v('sub-channel'), target: v('sub-target').trim(), markers: multi('sub-markers'), regions: multi('sub-regions'),
        kinds, minSeverity: v('sub-severity'), quietPeriodMinutes: Number(v('sub-quiet') || 0),
        notifyOnChangeOnly: (form.querySelector('#sub-change-only') as HTMLInputElement).checked,
      });
      if (editing) await del(`/subscriptions/${editing.id}`);
      const secret = created.signingSecret;
      const msg = `Saved “${created.subscription.name}”.` + (secret ? ' Signing secret (shown only this once; verify the Monitoring-Signature header with it):' : '');
      sessionStorage.setItem('monitoring.flash', JSON.stringify({ msg, secret }));
      go('#/subscriptions');
    } catch (err) {
      status.replaceChildren(errorBox(err));
    }
  });

  const flash = sessionStorage.getItem('monitoring.flash');
  sessionStorage.removeItem('monitoring.flash');
  const flashBox = flash ? (() => {
    const f = JSON.parse(flash) as { msg: string; secret: string | null };
    return h('div', { class: 'flash', role: 'status', id: 'subscription-saved' }, h('p', {}, f.msg), f.secret ? h('code', { class: 'secret' }, f.secret) : null);
  })() : null;

  const table = list.length === 0
    ? h('p', { id: 'no-subscriptions' }, 'No subscriptions yet.')
    : h('table', { id: 'subscriptions-table' },
      h('caption', {}, 'Your subscriptions (admins see everyone’s)'),
      h('thead', {}, h('tr', {}, ...['Name', 'Channel', 'Target', 'Markers', 'Regions', 'Kinds', 'Min. severity', 'Created', ''].map(t => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, ...list.map(s => h('tr', {},
        h('td', {}, s.name), h('td', {}, s.channel), h('td', {}, s.target),
        h('td', {}, s.markers.join(', ') || 'all'), h('td', {}, s.regions.join(', ') || 'all'), h('td', {}, s.kinds.join(', ') || 'both'),
        h('td', {}, s.minSeverity), h('td', {}, dateTime(s.createdAt)),
        h('td', {},
          h('a', { href: `#/subscriptions?edit=${s.id}`, 'aria-label': `Edit ${s.name}` }, 'Edit'), ' ',
          h('button', { type: 'button', 'aria-label': `Delete ${s.name}`, onclick: async () => {
            if (!confirm(`Delete the subscription “${s.name}”?`)) return;
            try { await del(`/subscriptions/${s.id}`); go('#/subscriptions'); } catch (err) { status.replaceChildren(errorBox(err)); }
          } }, 'Delete')),
      ))));
  wait.replaceWith(...([flashBox, table, form] as (HTMLElement | null)[]).filter((x): x is HTMLElement => x !== null));
}

export function field(id: string, text: string, input: HTMLElement): HTMLElement {
  return h('div', { class: 'field' }, h('label', { for: id }, text), input);
}
