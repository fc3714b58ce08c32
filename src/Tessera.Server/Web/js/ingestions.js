// Ingestions of areas of interest (and the collection builder's dispatches): the list, and one with its summary, its
// graph as a picture (ingest-graph.js) and as JSON.
import { api } from './api.js';
import { el, time } from './format.js';
import { graphPicture } from './ingest-graph.js';

const STATES = ['NEW', 'PENDING', 'DONE', 'RETRY', 'FAILED'];

export async function showIngestions(view) {
  const body = el('tbody');
  const message = el('p', { class: 'error', role: 'alert' });
  view.append(el('h2', { text: 'Ingestions' }), message,
    el('table', { id: 'ingestions' },
      el('thead', {}, el('tr', {}, ['Id', 'Name', 'Owner', 'Created'].map(h => el('th', { scope: 'col', text: h })))), body));
  try {
    const list = await api('/ingest');
    if (list.length === 0) body.append(el('tr', {}, el('td', { colspan: 4, class: 'muted', text: 'No ingestions yet (POST /ingest).' })));
    for (const i of list) {
      body.append(el('tr', { 'data-ingestion': i.id },
        el('td', {}, el('a', { href: `#/ingest/${i.id}`, text: i.id })), el('td', { text: i.name }), el('td', { text: i.owner }),
        el('td', { class: 'nowrap', text: time(i.createdAt) })));
    }
  } catch (e) {
    message.textContent = e.message;
  }
  return () => {};
}

export async function showIngestion(view, id) {
  let stopped = false;
  const message = el('p', { class: 'error', role: 'alert' });
  const summary = el('dl', { id: 'ingest-summary', class: 'summary' });
  const picture = el('div', { id: 'ingest-picture', class: 'graph' });
  const json = el('pre', { id: 'ingest-json' });
  view.append(el('p', {}, el('a', { href: '#/ingest', text: '← Ingestions' })), el('h2', { id: 'ingest-title', text: `Ingestion ${id}` }), message,
    summary, picture, el('details', {}, el('summary', { text: 'The graph as JSON' }), json));
  async function refresh() {
    try {
      const graph = await api(`/ingest/${id}`);
      if (stopped) return;
      view.querySelector('#ingest-title').textContent = `${graph.name} (ingestion ${graph.id})`;
      summary.replaceChildren(...STATES.flatMap(s => [el('dt', { text: s }), el('dd', { 'data-state': s, text: graph.summary[s] ?? 0 })]));
      picture.replaceChildren(graphPicture(graph.tasks));
      json.textContent = JSON.stringify(graph, null, 2);
      message.textContent = '';
    } catch (e) {
      if (!stopped) message.textContent = e.message;
    }
  }
  await refresh();
  const timer = setInterval(refresh, 3000);
  return () => { stopped = true; clearInterval(timer); };
}
