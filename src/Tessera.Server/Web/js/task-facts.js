// What a task's page says it ran: the inputs by file name with the bands really read, how long each stage took
// (from its status history), and the processing report kept beside the result.
import { api } from './api.js';
import { el } from './format.js';

/** One row per input: its role, what it is (file name and id, another task's result, a catalog asset) and the bands read. */
export async function inputRows(inputs) {
  const rows = [];
  for (const [role, input] of Object.entries(inputs ?? {})) {
    let what = '';
    let bands = input.band ? `band ${input.band}` : 'all bands';
    if (input.fileId) {
      const file = await api(`/files/${input.fileId}`).catch(() => null);
      what = file ? `${file.name} (#${file.id})` : `#${input.fileId} (no longer stored)`;
      const all = file?.raster?.bands ?? [];
      const described = b => all[b - 1]?.description ? ` (${all[b - 1].description})` : '';
      bands = input.band ? `band ${input.band}${described(input.band)}`
        : all.length === 1 ? `band 1${described(1)}` : all.length ? `all ${all.length} bands` : '—';
    } else if (input.task) {
      what = `the result of task ${input.task}`;
    } else if (input.item) {
      what = `asset ${input.asset} of ${input.item}`;
    }
    rows.push(el('tr', { 'data-role': role }, el('td', { text: role }), el('td', { text: what }), el('td', { text: bands })));
  }
  return rows;
}

const STAGES = [
  ['Waiting', 0, 1], ['Download', 1, 2], ['Processing', 5, 3], ['Publishing', 6, 7],
];

/** Seconds spent in each stage of the last attempt that reached it, and in all (created to the last change). */
export function stageDurations(task) {
  const history = task.history ?? [];
  const at = status => {
    const entries = history.filter(h => h.status === status);
    return entries.length ? Date.parse(entries[entries.length - 1].at) : null;
  };
  const rows = STAGES.map(([name, from, to]) => {
    const start = from === 0 ? Date.parse(task.createdAt) : at(from);
    const end = from === 0 ? (history.find(h => h.status === 1) ? Date.parse(history.find(h => h.status === 1).at) : null) : at(to);
    return [name, start !== null && end !== null && end >= start ? (end - start) / 1000 : null];
  });
  const last = history.length ? Date.parse(history[history.length - 1].at) : null;
  rows.push(['Total', last !== null ? (last - Date.parse(task.createdAt)) / 1000 : null]);
  return rows;
}

export function stagesTable(task) {
  return el('table', { id: 'task-stages' },
    el('thead', {}, el('tr', {}, el('th', { text: 'Stage' }), el('th', { text: 'Duration' }))),
    el('tbody', {}, stageDurations(task).map(([name, seconds]) => el('tr', { 'data-stage': name },
      el('td', { text: name }), el('td', { 'data-seconds': seconds ?? '', text: seconds === null ? '—' : `${seconds.toFixed(2)} s` })))));
}

/** The processing report: its numbers as rows (shares as percentages), anything nested as JSON. */
export function reportView(report) {
  const value = (key, v) => typeof v === 'number'
    ? (/share$/i.test(key) ? `${(v * 100).toFixed(2)} %` : Number.isInteger(v) ? String(v) : Number(v.toPrecision(6)).toString())
    : typeof v === 'string' ? v : null;
  const rows = [];
  const nested = {};
  for (const [key, v] of Object.entries(report)) {
    const shown = value(key, v);
    if (shown !== null) rows.push(el('tr', { 'data-key': key }, el('th', { scope: 'row', text: key }), el('td', { text: shown })));
    else nested[key] = v;
  }
  return el('section', { id: 'task-report', 'aria-label': 'Processing report' },
    el('h3', { text: 'Processing report' }),
    el('table', {}, el('tbody', {}, rows)),
    Object.keys(nested).length ? el('details', {}, el('summary', { text: 'In detail' }), el('pre', { text: JSON.stringify(nested, null, 2) })) : null);
}
