// A table a task produced (zonal statistics) on its page: its first rows as a table, with a download of the whole.
import { el } from './format.js';

const SHOWN = 200;

/** The rows of a CSV text (quoted fields, doubled quotes, commas and newlines inside quotes). */
export function parseCsv(text) {
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

/** The first rows of a CSV or GeoJSON table (a GeoPackage is only downloaded). */
export async function tableView(url, name) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
  let header, rows;
  if (/\.csv$/i.test(name)) {
    [header, ...rows] = parseCsv(await response.text());
  } else if (/\.(geo)?json$/i.test(name)) {
    const features = (await response.json()).features ?? [];
    header = features.length ? Object.keys(features[0].properties) : [];
    rows = features.map(f => header.map(k => f.properties[k] ?? ''));
  } else {
    return el('p', { class: 'muted', text: 'A GeoPackage: open it in QGIS or GDAL after downloading it.' });
  }
  const numeric = header.map((_, i) => rows.slice(0, SHOWN).every(r => r[i] === '' || r[i] === null || !isNaN(Number(r[i]))));
  const cell = (v, i) => el('td', { class: numeric[i] ? 'number' : undefined,
    text: numeric[i] && v !== '' && v !== null ? Number(Number(v).toPrecision(6)).toString() : String(v ?? '') });
  return el('div', {},
    el('p', { class: 'muted', id: 'table-count', text: rows.length > SHOWN ? `The first ${SHOWN} of ${rows.length} rows.` : `${rows.length} rows.` }),
    el('div', { class: 'scroll' }, el('table', { id: 'result-table' },
      el('thead', {}, el('tr', {}, header.map(h => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, rows.slice(0, SHOWN).map(r => el('tr', {}, r.map(cell)))))));
}
