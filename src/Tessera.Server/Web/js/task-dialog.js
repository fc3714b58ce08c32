// "Add task": type, input files with a band per role, output, parameters; the server's field errors are
// shown next to the field they name.
import { api, ApiError } from './api.js';
import { el } from './format.js';

export async function openTaskDialog(types, created) {
  const files = (await api('/files?limit=1000')).items;
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

  function renderType() {
    const chosen = types.find(t => String(t.type) === type.value);
    roles.replaceChildren(...chosen.roles.map(role => {
      const file = el('select', { id: `input-${role}-file`, 'data-field': `inputs.${role}.fileId`, 'data-role': role },
        el('option', { value: '', text: '— choose a file —' }),
        files.map(f => el('option', { value: f.id, text: `${f.name} (#${f.id})` })));
      const band = el('select', { id: `input-${role}-band`, 'data-field': `inputs.${role}.band` },
        el('option', { value: '', text: '— choose a band —' }));
      file.onchange = () => {
        const chosenFile = files.find(f => String(f.id) === file.value);
        band.replaceChildren(el('option', { value: '', text: '— choose a band —' }),
          ...(chosenFile?.raster.bands ?? []).map(b => el('option', { value: b.index,
            text: `${b.index}${b.description ? ' ' + b.description : ''} (${b.dataType})` })));
        if (chosenFile?.raster.bands.length === 1) band.value = '1';
      };
      return el('fieldset', { class: 'role' }, el('legend', { text: role }),
        el('div', { class: 'grid2' }, field('File', file), field('Band', band)));
    }));
    params.replaceChildren(...chosen.params.map(p => {
      const input = p.kind === 'choice'
        ? el('select', { id: `param-${p.name}`, 'data-field': `params.${p.name}`, 'data-param': p.name },
          el('option', { value: '', text: 'default' }), p.choices.map(c => el('option', { value: c, text: c })))
        : el('input', { id: `param-${p.name}`, 'data-field': `params.${p.name}`, 'data-param': p.name, inputmode: 'decimal' });
      return field(p.name, input, p.description);
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
    const inputs = [...roles.querySelectorAll('select[data-role]')].map(file => {
      const band = document.getElementById(`input-${file.dataset.role}-band`).value;
      return { role: file.dataset.role, fileId: file.value === '' ? null : Number(file.value), band: band === '' ? null : Number(band) };
    });
    const parameters = {};
    for (const input of params.querySelectorAll('[data-param]')) {
      if (input.value === '') continue;
      parameters[input.dataset.param] = input.tagName === 'SELECT' ? input.value : Number(input.value);
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
