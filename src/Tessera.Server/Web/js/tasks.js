// The task list: filters, paging, live refresh while the view is open, and the "Add task" dialog.
import { api } from './api.js';
import { el, STATUSES, statusBadge, progressText, time } from './format.js';
import { openTaskDialog } from './task-dialog.js';

const REFRESH_MS = 1500;

export async function showTasks(view) {
  const types = await api('/processtask/types');
  const state = { pageNum: 1, pageSize: 20, status: '', type: '', name: '' };
  const status = el('select', { id: 'filter-status', onchange: () => { state.status = status.value; state.pageNum = 1; load(); } },
    el('option', { value: '', text: 'any' }), STATUSES.map(([n, name]) => el('option', { value: n, text: name })));
  const type = el('select', { id: 'filter-type', onchange: () => { state.type = type.value; state.pageNum = 1; load(); } },
    el('option', { value: '', text: 'any' }), types.map(t => el('option', { value: t.type, text: t.name })));
  const name = el('input', { id: 'filter-name', type: 'search', placeholder: 'part of the name',
    oninput: () => { state.name = name.value; state.pageNum = 1; load(); } });
  const body = el('tbody');
  const summary = el('span', { class: 'muted' });
  const previous = el('button', { type: 'button', class: 'secondary', onclick: () => { state.pageNum--; load(); }, text: 'Previous' });
  const next = el('button', { type: 'button', class: 'secondary', onclick: () => { state.pageNum++; load(); }, text: 'Next' });
  const message = el('p', { class: 'error', role: 'alert' });

  view.append(
    el('h2', { text: 'Tasks' }),
    el('div', { class: 'toolbar' },
      el('div', {}, el('label', { for: 'filter-status', text: 'Status' }), status),
      el('div', {}, el('label', { for: 'filter-type', text: 'Type' }), type),
      el('div', {}, el('label', { for: 'filter-name', text: 'Name' }), name),
      el('button', { type: 'button', id: 'add-task', onclick: () => openTaskDialog(types, () => load()), text: 'Add task' })),
    message,
    el('table', { id: 'tasks' },
      el('thead', {}, el('tr', {}, ['Id', 'Name', 'Type', 'Status', 'Progress', 'Created'].map(h => el('th', { scope: 'col', text: h })))),
      body),
    el('div', { class: 'pager' }, previous, summary, next));

  let stopped = false;
  async function load() {
    try {
      const page = await api('/processtask/query/page', {
        method: 'POST',
        body: {
          pageNum: state.pageNum, pageSize: state.pageSize, name: state.name || null,
          status: state.status === '' ? null : Number(state.status), type: state.type === '' ? null : Number(state.type),
        },
      });
      if (stopped) return;
      message.textContent = '';
      body.replaceChildren(...page.records.map(task => el('tr', { 'data-task': task.id },
        el('td', {}, el('a', { href: `#/tasks/${task.id}`, text: task.id })),
        el('td', {}, el('a', { href: `#/tasks/${task.id}`, text: task.name })),
        el('td', { text: task.typeName }),
        el('td', {}, statusBadge(task)),
        el('td', { text: progressText(task) }),
        el('td', { text: time(task.createdAt) }))));
      if (page.records.length === 0) body.append(el('tr', {}, el('td', { colspan: 6, class: 'muted', text: 'No tasks.' })));
      const pages = Math.max(1, Math.ceil(page.total / state.pageSize));
      summary.textContent = `page ${state.pageNum} of ${pages} (${page.total} tasks)`;
      previous.disabled = state.pageNum <= 1;
      next.disabled = state.pageNum >= pages;
    } catch (e) {
      if (!stopped) message.textContent = e.message;
    }
  }
  await load();
  const timer = setInterval(load, REFRESH_MS);
  return () => { stopped = true; clearInterval(timer); };
}
