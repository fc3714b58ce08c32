// The seed's statuses and how they are shown.
export const STATUSES = [
  [0, 'NOT_STARTED'], [1, 'DOWNLOADING'], [2, 'DOWNLOADED'], [5, 'PROCESSING'], [3, 'PROCESSING_COMPLETED'],
  [6, 'PUBLISHING'], [7, 'PUBLISH_COMPLETED'], [9, 'DOWNLOAD_FAILED'], [4, 'PROCESSING_FAILED'], [8, 'PUBLISH_FAILED'],
];

export const ENDED = new Set([7, 4, 8, 9]);
export const FAILED = new Set([4, 8, 9]);
export const IN_PROGRESS = new Set([1, 2, 5, 3, 6]);

export function statusClass(status) {
  return status === 7 ? 'done' : FAILED.has(status) ? 'failed' : IN_PROGRESS.has(status) ? 'running' : '';
}

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'text') node.textContent = value;
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

export function statusBadge(task) {
  return el('span', { class: `status ${statusClass(task.status)}`, 'data-status': task.statusName, text: task.statusName });
}

export function progressText(task) {
  const p = task.progress;
  if (!p || !p.total || !IN_PROGRESS.has(task.status)) return '';
  return `${p.stage} ${p.done}/${p.total}`;
}

export function time(value) {
  return value ? new Date(value).toLocaleString() : '';
}

export function bytes(n) {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${n.toFixed(i ? 1 : 0)} ${units[i]}`;
}

/** "2023-03-05" of a time, in UTC (the dates of scenes are UTC). */
export function utcDate(value) {
  return value ? new Date(value).toISOString().slice(0, 10) : '';
}

/** "2023-03-05 10:30 UTC" of a time. */
export function utcTime(value) {
  return value ? `${new Date(value).toISOString().slice(0, 16).replace('T', ' ')} UTC` : '';
}
