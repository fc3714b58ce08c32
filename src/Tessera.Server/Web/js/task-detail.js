// One task: what it is, its inputs, its history, and once published its result on a map, its preview with
// the legend, a download link; the actions its status allows.
import { api, withToken } from './api.js';
import { el, ENDED, FAILED, IN_PROGRESS, statusBadge, progressText, time } from './format.js';
import { legend } from './legend.js';
import { showViewer } from './viewer.js';
import { inputRows, reportView, stagesTable } from './task-facts.js';
import { tableView } from './table-view.js';

const REFRESH_MS = 1500;

export async function showTask(view, id) {
  let stopped = false;
  let shownResult = false;
  const info = el('dl', { class: 'info', id: 'task-info' });
  const inputs = el('tbody');
  const stages = el('div', { id: 'task-stages-box' });
  let inputsShown = false;
  const history = el('tbody');
  const log = el('tbody');
  const actions = el('div', { class: 'actions', id: 'task-actions' });
  const failure = el('p', { class: 'error', role: 'alert', id: 'task-error-message' });
  const result = el('section', { id: 'task-result', 'aria-label': 'Result' });

  view.append(
    el('p', {}, el('a', { href: '#/tasks', text: '← Tasks' })),
    el('h2', { id: 'task-title', text: `Task ${id}` }),
    failure,
    el('div', { class: 'detail' },
      el('section', { 'aria-label': 'Task' }, info, actions,
        el('h3', { text: 'Inputs' }), el('table', { id: 'task-inputs' }, el('thead', {}, el('tr', {}, ['Role', 'Input', 'Bands read'].map(h => el('th', { text: h })))), inputs),
        el('h3', { text: 'Stages' }), stages),
      el('section', { 'aria-label': 'Status history' },
        el('h3', { text: 'Status history' }),
        el('table', { id: 'task-history' }, el('thead', {}, el('tr', {}, ['Status', 'At', 'Attempt', 'By', 'Note'].map(h => el('th', { text: h })))), history),
        el('h3', { text: 'Log' }),
        el('div', { class: 'scroll' }, el('table', { id: 'task-log' }, el('thead', {}, el('tr', {}, ['At', 'Level', 'Message'].map(h => el('th', { text: h })))), log)))),
    result);

  function action(label, run, kind) {
    return el('button', { type: 'button', class: kind, 'data-action': label, onclick: async () => {
      try { await run(); await load(); } catch (e) { failure.textContent = e.message; }
    }, text: label });
  }

  async function load() {
    let task;
    try {
      task = await api(`/processtask/query/task/detail?id=${id}`);
    } catch (e) {
      if (!stopped) failure.textContent = e.message;
      return;
    }
    if (stopped) return;
    document.getElementById('task-title').textContent = `${task.name} (task ${task.id})`;
    info.replaceChildren(
      el('dt', { text: 'Type' }), el('dd', { text: `${task.typeName} (${task.type})` }),
      el('dt', { text: 'Status' }), el('dd', {}, statusBadge(task), ' ', el('span', { class: 'muted', text: progressText(task) })),
      el('dt', { text: 'Created' }), el('dd', { text: time(task.createdAt) }),
      el('dt', { text: 'Attempts' }), el('dd', { text: task.attempts }),
      el('dt', { text: 'Output' }), el('dd', { text: [task.outputFolder, task.outputName].filter(Boolean).join('/') || 'default' }),
      el('dt', { text: 'Parameters' }), el('dd', {}, el('code', { text: JSON.stringify(task.parameters) })));
    failure.textContent = task.errorMessage ? `Error: ${task.errorMessage}` : '';
    if (!inputsShown) {
      inputsShown = true;
      inputs.replaceChildren(...await inputRows(task.inputs));
    }
    stages.replaceChildren(stagesTable(task));
    history.replaceChildren(...(task.history ?? []).map(h => el('tr', {},
      el('td', {}, el('span', { class: 'status', text: h.statusName })), el('td', { text: time(h.at) }),
      el('td', { text: h.attempt || '' }), el('td', { text: h.actor }), el('td', { text: h.errorMessage ?? '' }))));
    log.replaceChildren(...(task.log ?? []).map(line => el('tr', { class: `log-${line.level}` },
      el('td', { class: 'nowrap', text: time(line.at) }), el('td', { text: line.level }), el('td', { text: line.message }))));
    actions.replaceChildren(
      ...(task.status === 9 ? [action('Retry download', () => api('/processtask/retry', { method: 'POST', body: { taskId: id } }))] : []),
      ...(task.status === 4 ? [action('Resubmit', () => api('/processtask/retry', { method: 'POST', body: { taskId: id } }))] : []),
      ...(task.status === 8 ? [action('Retry publish', () => api('/processtask/retry', { method: 'POST', body: { taskId: id } }))] : []),
      ...(IN_PROGRESS.has(task.status) ? [action('Cancel', () => api('/processtask/cancel', { method: 'POST', body: { taskId: id } }), 'secondary')] : []),
      ...(task.status === 0 ? [action('Delete', async () => {
        await api(`/processtask/delete?id=${id}`, { method: 'DELETE' });
        location.hash = '#/tasks';
      }, 'danger')] : []));
    if (task.result && !shownResult) {
      shownResult = true;
      await showResult(result, task.result, task);
    }
    if (ENDED.has(task.status) || FAILED.has(task.status)) clearInterval(timer);
  }

  const timer = setInterval(load, REFRESH_MS);
  await load();
  return () => { stopped = true; clearInterval(timer); };
}

async function showResult(section, result, task) {
  if (result.kind === 'table') {
    const table = el('div', { id: 'table-box' });
    section.replaceChildren(
      el('h3', { text: 'Result' }),
      el('p', { class: 'muted', text: 'A table of statistics, one row per zone, raster and band, with the zones\' attributes.' }),
      el('p', {}, el('a', { class: 'button', id: 'download', href: withToken(result.downloadUrl), download: '', text: 'Download table' })),
      table);
    try {
      const file = await api(`/files/${result.outputFileId}`);
      table.append(await tableView(withToken(result.downloadUrl), file.name));
    } catch (e) {
      table.append(el('p', { class: 'error', text: `The table cannot be shown: ${e.message}` }));
    }
    return;
  }
  const viewer = el('div', { id: 'viewer' });
  const preview = el('figure', { class: 'preview' },
    el('img', { id: 'preview', src: withToken(result.previewUrl), alt: 'Preview of the result' }),
    el('figcaption', { id: 'legend' }));
  section.replaceChildren(
    el('h3', { text: 'Result' }),
    result.tileUrl ? viewer : el('p', { class: 'muted', text: 'No map: the result has no georeference.' }),
    preview,
    el('p', {}, el('a', { class: 'button', id: 'download', href: withToken(result.downloadUrl), download: '', text: 'Download GeoTIFF' })));
  if (result.tileUrl) {
    try {
      await showViewer(viewer, result, task);
    } catch (e) {
      viewer.append(el('p', { class: 'error', text: `The map cannot be shown: ${e.message}` }));
    }
  }
  if (result.reportUrl) {
    try {
      section.append(reportView(await api(result.reportUrl)));
    } catch (e) {
      section.append(el('p', { class: 'error', text: `The processing report cannot be shown: ${e.message}` }));
    }
  }
  try {
    document.getElementById('legend').append(legend(await api(result.legendUrl)));
  } catch (e) {
    document.getElementById('legend').textContent = e.message;
  }
}
