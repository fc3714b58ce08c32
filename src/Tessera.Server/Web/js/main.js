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

async function route() {
  stopCurrent();
  stopCurrent = () => {};
  const view = document.getElementById('view');
  view.replaceChildren();
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
  if (task) stopCurrent = await showTask(view, Number(task[1]));
  else if (section === 'files') stopCurrent = await showFiles(view);
  else if (collection) stopCurrent = await showCollection(view, decodeURIComponent(collection[1]));
  else if (section === 'collections') stopCurrent = await showCollections(view);
  else if (ingestion) stopCurrent = await showIngestion(view, Number(ingestion[1]));
  else if (section === 'ingest') stopCurrent = await showIngestions(view);
  else stopCurrent = await showTasks(view);
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
