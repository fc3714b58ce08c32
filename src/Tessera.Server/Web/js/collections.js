// The catalog's collections as its STAC API lists them: title, id, how many items, over which dates; one is chosen
// to look at its items.
import { api } from './api.js';
import { el, utcDate } from './format.js';

export async function showCollections(view) {
  let stopped = false;
  const body = el('tbody');
  const message = el('p', { class: 'error', role: 'alert', id: 'collections-error' });
  view.append(
    el('h2', { text: 'Collections' }),
    message,
    el('table', { id: 'collections' },
      el('thead', {}, el('tr', {}, ['Title', 'Id', 'Items', 'First item', 'Last item'].map(h => el('th', { scope: 'col', text: h })))),
      body));

  let collections;
  try {
    collections = (await api('/stac/collections')).collections ?? [];
  } catch (e) {
    message.textContent = e.message;
    return () => {};
  }
  if (collections.length === 0) {
    body.append(el('tr', {}, el('td', { colspan: 5, class: 'muted', text: 'No collections.' })));
    return () => {};
  }
  for (const collection of collections) {
    const [first, last] = collection.extent?.temporal?.interval?.[0] ?? [];
    const count = el('td', { class: 'count', text: '…' });
    const address = `#/collections/${encodeURIComponent(collection.id)}`;
    body.append(el('tr', { 'data-collection': collection.id },
      el('td', {}, el('a', { href: address, title: collection.description, text: collection.title || collection.id })),
      el('td', { class: 'nowrap' }, el('code', { text: collection.id })),
      count,
      el('td', { class: 'nowrap', text: utcDate(first) || '—' }),
      el('td', { class: 'nowrap', text: utcDate(last) || '—' })));
    // A page of one item carries how many match in all: one light request per collection, shown as each answers.
    api(`/stac/collections/${encodeURIComponent(collection.id)}/items?limit=1`).then(page => {
      if (!stopped) count.textContent = page.numberMatched ?? '?';
    }, e => {
      if (stopped) return;
      count.textContent = '?';
      count.title = e.message;
    });
  }
  return () => { stopped = true; };
}
