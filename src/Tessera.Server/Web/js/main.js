// The page's table of contents: token first, then one view per address (#/tasks, #/tasks/ID, #/files, #/collections,
// #/collections/ID, #/ingest, #/ingest/ID).
import { adoptTokenFromAddress, askForToken, setToken, token } from './api.js';
import { showTasks } from './tasks.js';
import { showTask } from './task-detail.js';
import { showFiles } from './files.js';
import { showCollections } from './collections.js';
import { showCollection } from './collection.js';
import { showIngestion, showIngestions } from './ingestions.js';

let stopCurrent = () => {};
let generation = 0;

async function route() {
  stopCurrent();
  stopCurrent = () => {};
  const current = ++generation;
  // Each route draws into a container of its own: a view still loading when the address changes again draws into
  // a container no longer on the page, and is stopped as soon as it has started.
  const view = document.createElement('div');
  document.getElementById('view').replaceChildren(view);
  const hash = location.hash || '#/tasks';
  const task = /^#\/tasks\/(\d+)$/.exec(hash);
  const collection = /^#\/collections\/(.+)$/.exec(hash);
  const ingestion = /^#\/ingest\/(\d+)$/.exec(hash);
  const section = task ? 'tasks' : hash.startsWith('#/files') ? 'files' : hash.startsWith('#/collections') ? 'collections'
    : hash.startsWith('#/ingest') ? 'ingest' : 'tasks';
  for (const link of document.querySelectorAll('nav a')) {
    link.toggleAttribute('aria-current', link.dataset.nav === section);
    if (link.dataset.nav === section) link.setAttribute('aria-current', 'page');
  }
  let stop;
  if (task) stop = await showTask(view, Number(task[1]));
  else if (section === 'files') stop = await showFiles(view);
  else if (collection) stop = await showCollection(view, decodeURIComponent(collection[1]));
  else if (section === 'collections') stop = await showCollections(view);
  else if (ingestion) stop = await showIngestion(view, Number(ingestion[1]));
  else if (section === 'ingest') stop = await showIngestions(view);
  else stop = await showTasks(view);
  if (current === generation) stopCurrent = stop ?? (() => {});
  else stop?.();
}

async function start() {
  adoptTokenFromAddress();
  if (!token()) await askForToken('This page needs an API token of this server (tessera serve prints a link with one).');
  const signOut = document.getElementById('sign-out');
  signOut.hidden = false;
  signOut.onclick = async () => { setToken(null); await askForToken('Give an API token of this server.'); route(); };
  window.addEventListener('hashchange', route);
  await route();
}

start();
