// The file store: upload with a progress bar, the list with band information, delete.
import { api, token } from './api.js';
import { el, bytes, time } from './format.js';

export async function showFiles(view) {
  const input = el('input', { type: 'file', id: 'upload-input', multiple: true, accept: '.tif,.tiff,image/tiff,.geojson,.json,.gpkg,.zip' });
  const progress = el('progress', { id: 'upload-progress', max: 100, value: 0, hidden: true });
  const status = el('p', { id: 'upload-status', role: 'status' });
  const body = el('tbody');
  const message = el('p', { class: 'error', role: 'alert' });

  view.append(
    el('h2', { text: 'Files' }),
    el('form', { class: 'toolbar', id: 'upload-form', onsubmit: async event => {
      event.preventDefault();
      for (const file of input.files) {
        try {
          await upload(file, progress, status);
        } catch (e) {
          status.textContent = '';
          message.textContent = `${file.name}: ${e.message}`;
        }
      }
      input.value = '';
      await load();
    } },
    el('div', {}, el('label', { for: 'upload-input', text: 'Rasters or zones to upload (GeoTIFF; GeoJSON, GeoPackage, zipped shapefile)' }), input),
    el('button', { type: 'submit', id: 'upload-submit', text: 'Upload' }), progress),
    status, message,
    el('table', { id: 'files' },
      el('thead', {}, el('tr', {}, ['Id', 'Name', 'Size', 'Pixels', 'Bands', 'CRS', 'Uploaded', ''].map(h => el('th', { text: h })))),
      body));

  async function load() {
    const page = await api('/files?limit=1000');
    body.replaceChildren(...page.items.map(file => el('tr', { 'data-file': file.id },
      el('td', { text: file.id }),
      el('td', { text: file.name }),
      el('td', { text: bytes(file.size) }),
      ...(file.raster ? rasterCells(file.raster)
        : file.vector ? [el('td', { colspan: 3, text: `zones: ${file.vector.features} ${file.vector.geometryType.toLowerCase()} features (${file.vector.format})${file.vector.fields.length ? ', ' + file.vector.fields.join(', ') : ''}` })]
        : [el('td', { colspan: 3, class: 'muted', text: 'table (statistics)' })]),
      el('td', { text: time(file.createdAt) }),
      el('td', {}, el('button', { type: 'button', class: 'secondary', 'aria-label': `Delete ${file.name}`, onclick: async () => {
        if (!confirm(`Delete ${file.name}?`)) return;
        try { await api(`/files/${file.id}`, { method: 'DELETE' }); await load(); } catch (e) { message.textContent = e.message; }
      }, text: 'Delete' })))));
    if (page.items.length === 0) body.append(el('tr', {}, el('td', { colspan: 8, class: 'muted', text: 'No files yet.' })));
  }
  await load();
  return () => {};
}

function rasterCells(raster) {
  return [
    el('td', { text: `${raster.width} × ${raster.height}` }),
    el('td', {}, el('details', {}, el('summary', { text: `${raster.bandCount} band(s)` }),
      el('ul', {}, raster.bands.map(b => el('li', {
        text: `${b.index}: ${b.dataType}${b.description ? ', ' + b.description : ''}${b.noData !== null ? ', nodata ' + b.noData : ''}` }))))),
    el('td', { text: raster.epsg ? `EPSG:${raster.epsg}` : '—' }),
  ];
}

/** Uploads one file as multipart (field "file"), showing its progress; rejects with the server's message. */
function upload(file, progress, status) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', '/files');
    request.setRequestHeader('Authorization', `Bearer ${token()}`);
    request.upload.onprogress = event => {
      if (event.lengthComputable) progress.value = Math.round(100 * event.loaded / event.total);
    };
    request.onload = () => {
      progress.hidden = true;
      let body = null;
      try { body = JSON.parse(request.responseText); } catch { /* not JSON */ }
      if (request.status === 201) {
        status.textContent = `${file.name} uploaded (file #${body.data.id}).`;
        resolve(body.data);
      } else if (request.status === 200) {
        status.textContent = `${file.name}: the same bytes are already stored as file #${body.data.id} (${body.data.name}).`;
        resolve(body.data);
      } else {
        reject(new Error(body?.message ?? `${request.status} ${request.statusText}`));
      }
    };
    request.onerror = () => { progress.hidden = true; reject(new Error('the upload failed (connection)')); };
    progress.value = 0;
    progress.hidden = false;
    status.textContent = `Uploading ${file.name}…`;
    const form = new FormData();
    form.append('file', file, file.name);
    request.send(form);
  });
}
