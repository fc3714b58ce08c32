// "Add task": type, input files with a band per role, output, parameters; the server's field errors are
// shown next to the field they name.
import { api, ApiError } from './api.js';
import { el } from './format.js';
import { addBasemap } from './basemap.js';
import { boxText, drawArea, polygonFeature } from './draw.js';

export async function openTaskDialog(types, created) {
  // Inputs are rasters; vector files are zones, chosen by a parameter; tables (zonal statistics) are results only.
  const stored = (await api('/files?limit=1000')).items;
  const files = stored.filter(f => f.raster);
  const vectors = stored.filter(f => f.kind === 'vector');
  const dialog = el('dialog', { id: 'task-dialog', 'aria-labelledby': 'task-dialog-title' });
  const form = el('form', { novalidate: true });
  const type = el('select', { id: 'task-type', name: 'type', 'data-field': 'type' },
    types.map(t => el('option', { value: t.type, text: `${t.name} — ${t.title}` })));
  const name = el('input', { id: 'task-name', name: 'name', 'data-field': 'name', required: true });
  const outputPath = el('input', { id: 'task-output-path', name: 'outputPath', 'data-field': 'outputPath', placeholder: 'results/2020' });
  const outputName = el('input', { id: 'task-output-name', name: 'outputName', 'data-field': 'outputName', placeholder: 'ndvi.tif' });
  const roles = el('div', { id: 'task-roles' });
  const params = el('div', { id: 'task-params', class: 'grid2' });
  const general = el('p', { class: 'error', role: 'alert', id: 'task-error' });

  function field(label, input, hint) {
    return el('div', {}, el('label', { for: input.id, text: label }), input,
      hint ? el('div', { class: 'muted', text: hint }) : null,
      el('div', { class: 'field-error', id: `${input.id}-error`, 'aria-live': 'polite' }));
  }

  let rowCount = 0;

  function bandChooser(id, chosen, allBands) {
    const band = el('select', { id });
    function fill(file) {
      const first = allBands
        ? el('option', { value: 'all', text: 'all bands' })
        : el('option', { value: '', text: '— choose a band —' });
      band.replaceChildren(first, ...(file?.raster.bands ?? []).map(b => el('option', { value: b.index,
        text: `${b.index}${b.description ? ' ' + b.description : ''} (${b.dataType})` })));
      if (!allBands && file?.raster.bands.length === 1) band.value = '1';
    }
    fill(chosen);
    return { band, fill };
  }

  /** One input: its role (fixed, or a name the user gives), a file and a band. */
  function inputRow(chosen, role, free) {
    const n = ++rowCount;
    const roleInput = free ? el('input', { id: `input-${n}-role`, value: role, 'data-field-role': true, required: true }) : null;
    const file = el('select', { id: free ? `input-${n}-file` : `input-${role}-file`, 'data-input': true, 'data-role': role },
      el('option', { value: '', text: '— choose a file —' }),
      files.map(f => el('option', { value: f.id, text: `${f.name} (#${f.id})` })));
    // Whole files (a mosaic): no band to choose.
    const { band, fill } = chosen.wholeFiles
      ? { band: null, fill: () => {} }
      : bandChooser(free ? `input-${n}-band` : `input-${role}-band`, null, chosen.allBandsByDefault);
    file.onchange = () => fill(files.find(f => String(f.id) === file.value));
    const about = free ? chosen.inputsDescription : chosen.inputs.find(r => r.name === role)?.description;
    const row = el('fieldset', { class: 'role', 'data-row': n },
      el('legend', { text: free ? `Input ${n}` : role }),
      about ? el('div', { class: 'muted', text: about }) : null,
      el('div', { class: 'grid2' },
        roleInput ? field('Role (band name)', roleInput) : null,
        field('File', file), band ? field('Band', band) : null),
      free ? el('button', { type: 'button', class: 'secondary', onclick: () => row.remove(), text: 'Remove' }) : null);
    row.inputs = () => {
      const name = roleInput ? roleInput.value.trim() : role;
      // The server names fields by role: label this row's fields with the role as it is now.
      if (roleInput) roleInput.dataset.field = `inputs.${name}`;
      file.dataset.field = `inputs.${name}.fileId`;
      const entry = { role: name, fileId: file.value === '' ? null : Number(file.value) };
      if (band) {
        band.dataset.field = `inputs.${name}.band`;
        if (band.value !== 'all') entry.band = band.value === '' ? null : Number(band.value);
      }
      return entry;
    };
    return row;
  }

  function renderType() {
    const chosen = types.find(t => String(t.type) === type.value);
    rowCount = 0;
    const free = chosen.roles.length === 0;
    const rows = free
      ? Array.from({ length: Math.max(2, chosen.minInputs) }, (_, i) => inputRow(chosen, `${chosen.wholeFiles ? 'image' : 'band'}${i + 1}`, true))
      : chosen.roles.map(role => inputRow(chosen, role, false));
    roles.replaceChildren(...rows);
    if (free) {
      roles.append(el('button', { type: 'button', class: 'secondary', id: 'add-input', text: 'Add input',
        onclick: event => event.target.before(inputRow(chosen, `${chosen.wholeFiles ? 'image' : 'band'}${rowCount + 1}`, true)) }));
    }
    params.replaceChildren(...chosen.params.map(p => {
      const input = p.kind === 'choice'
        ? el('select', { id: `param-${p.name}`, 'data-field': `params.${p.name}`, 'data-param': p.name, 'data-kind': p.kind },
          el('option', { value: '', text: 'default' }), p.choices.map(c => el('option', { value: c, text: c })))
        : p.kind === 'file'
          ? el('select', { id: `param-${p.name}`, 'data-field': `params.${p.name}`, 'data-param': p.name, 'data-kind': p.kind },
            el('option', { value: '', text: vectors.length ? '— none —' : '— no vector file uploaded —' }),
            vectors.map(f => el('option', { value: f.id, text: `${f.name} (#${f.id}, ${f.vector.features} ${f.vector.geometryType.toLowerCase()} features)` })))
        : p.kind === 'geojson'
          ? el('textarea', { id: `param-${p.name}`, 'data-field': `params.${p.name}`, 'data-param': p.name, 'data-kind': p.kind, rows: 4 })
          : p.kind === 'boolean'
            ? el('input', { type: 'checkbox', id: `param-${p.name}`, 'data-field': `params.${p.name}`, 'data-param': p.name, 'data-kind': p.kind })
            : el('input', { id: `param-${p.name}`, 'data-field': `params.${p.name}`, 'data-param': p.name, 'data-kind': p.kind,
            inputmode: p.kind === 'number' ? 'decimal' : undefined,
            placeholder: p.default !== null && p.default !== undefined ? String(p.default) : undefined });
      const drawing = p.kind === 'box' || p.kind === 'geojson' ? drawer(p, input) : null;
      const limits = p.kind === 'number' && (p.minimum !== null || p.maximum !== null)
        ? ` (${p.minimum ?? '…'} to ${p.maximum ?? '…'}${p.unit ? ' ' + p.unit : ''})` : p.unit ? ` (${p.unit})` : '';
      const box = field(p.required ? `${p.name} (required)` : p.name, input, p.description + limits);
      if (drawing) box.append(drawing);
      return box;
    }));
  }

  /** A button that opens a map under the field, over the chosen inputs' footprints, to draw its box or its polygons. */
  function drawer(p, input) {
    const panel = el('div', { class: 'draw-panel', hidden: true });
    const open = el('button', { type: 'button', class: 'secondary', id: `draw-${p.name}`,
      text: p.kind === 'box' ? 'Draw the box on a map' : 'Draw polygons on a map' });
    let map = null;
    let drawn = null;
    async function start() {
      panel.hidden = false;
      if (!map) {
        const holder = el('div', { class: 'draw-map', id: `draw-map-${p.name}` });
        panel.prepend(holder);
        map = L.map(holder, { attributionControl: false });
        await addBasemap(map);
        // The footprints of the files chosen as inputs (all rasters when none is chosen yet).
        const chosenIds = [...roles.querySelectorAll('select[data-input]')].map(s => s.value).filter(Boolean);
        const shown = files.filter(f => f.lonLatBounds && (chosenIds.length === 0 || chosenIds.includes(String(f.id))));
        const group = L.featureGroup(shown.map(f => L.rectangle([[f.lonLatBounds.minY, f.lonLatBounds.minX], [f.lonLatBounds.maxY, f.lonLatBounds.maxX]],
          { color: '#0b5cad', weight: 1, fillOpacity: 0.05, interactive: false }))).addTo(map);
        if (group.getLayers().length) map.fitBounds(group.getBounds(), { padding: [10, 10] }); else map.setView([0, 0], 1);
        drawn = L.featureGroup().addTo(map);
      }
      open.disabled = true;
      const area = await drawArea(map, p.kind === 'box' ? 'rectangle' : 'polygon');
      open.disabled = false;
      if (!area) return;
      if (p.kind === 'box') {
        drawn.clearLayers();
        L.rectangle(area, { color: '#c2410c', weight: 2, fillOpacity: 0.1 }).addTo(drawn);
        input.value = boxText(area);
        // A box drawn on the map is in longitude and latitude: its CRS is the default one.
        const crs = params.querySelector(`[data-param="${p.name}Crs"]`);
        if (crs) crs.value = '';
      } else {
        let collection = { type: 'FeatureCollection', features: [] };
        try { if (input.value.trim()) collection = JSON.parse(input.value); } catch { /* replaced by what is drawn */ }
        if (collection.type !== 'FeatureCollection') collection = { type: 'FeatureCollection', features: [] };
        collection.features.push(polygonFeature(area, { id: `zone ${collection.features.length + 1}` }));
        L.polygon(area, { color: '#c2410c', weight: 2, fillOpacity: 0.1 }).addTo(drawn);
        input.value = JSON.stringify(collection);
        open.textContent = 'Draw another polygon';
      }
      input.dispatchEvent(new Event('change'));
    }
    open.onclick = () => { start(); };
    return el('div', {}, open, panel);
  }
  type.onchange = renderType;

  function clearErrors() {
    general.textContent = '';
    for (const node of form.querySelectorAll('.field-error')) node.textContent = '';
    for (const node of form.querySelectorAll('[aria-invalid]')) node.removeAttribute('aria-invalid');
  }

  function showError(fieldName, text) {
    const input = form.querySelector(`[data-field="${CSS.escape(fieldName)}"]`)
      ?? form.querySelector(`[data-field^="${CSS.escape(fieldName)}."]`);
    if (!input) { general.textContent = `${fieldName}: ${text}`; return; }
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', `${input.id}-error`);
    document.getElementById(`${input.id}-error`).textContent = text;
    input.focus();
  }

  form.append(
    el('h2', { id: 'task-dialog-title', text: 'Add task' }),
    general,
    el('div', { class: 'grid2' }, field('Processing type', type), field('Name', name)),
    el('h3', { text: 'Inputs' }), roles,
    el('h3', { text: 'Output' }),
    el('div', { class: 'grid2' }, field('Folder', outputPath), field('File name', outputName)),
    el('h3', { text: 'Parameters' }), params,
    el('div', { class: 'actions' },
      el('button', { type: 'submit', id: 'task-submit', text: 'Add task' }),
      el('button', { type: 'button', class: 'secondary', onclick: () => dialog.close(), text: 'Cancel' })));
  form.onsubmit = async event => {
    event.preventDefault();
    clearErrors();
    const inputs = [...roles.querySelectorAll('fieldset[data-row]')].map(row => row.inputs());
    const parameters = {};
    for (const input of params.querySelectorAll('[data-param]')) {
      if (input.dataset.kind === 'boolean') {
        if (input.checked) parameters[input.dataset.param] = true;
        continue;
      }
      if (input.value.trim() === '') continue;
      parameters[input.dataset.param] = input.dataset.kind === 'number' || input.dataset.kind === 'file' ? Number(input.value) : input.value.trim();
    }
    try {
      const result = await api('/processtask/addTask', {
        method: 'POST',
        body: {
          name: name.value, type: Number(type.value), inputs, params: parameters,
          outputPath: outputPath.value || null, outputName: outputName.value || null,
        },
      });
      dialog.close();
      created(result.taskId);
    } catch (e) {
      const parsed = e instanceof ApiError ? e.field : null;
      if (parsed) showError(parsed.field, parsed.text); else general.textContent = e.message;
    }
  };
  dialog.append(form);
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  renderType();
  dialog.showModal();
  name.focus();
}
