// "Add task": type, input files with a band per role, output, parameters; the server's field errors are
// shown next to the field they name.
import { api, ApiError } from './api.js';
import { el } from './format.js';

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
      const limits = p.kind === 'number' && (p.minimum !== null || p.maximum !== null)
        ? ` (${p.minimum ?? '…'} to ${p.maximum ?? '…'}${p.unit ? ' ' + p.unit : ''})` : p.unit ? ` (${p.unit})` : '';
      return field(p.required ? `${p.name} (required)` : p.name, input, p.description + limits);
    }));
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
