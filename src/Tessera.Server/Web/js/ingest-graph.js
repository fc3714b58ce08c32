// An ingestion's graph as a picture: one row per tile, one column per date, each task a box in its cell (coloured by
// the ingester's state), each prerequisite an arrow into the task that waits for it (input: solid, previous: dashed,
// reference: dotted).
const SVG = 'http://www.w3.org/2000/svg';
const CELL = { width: 190, gap: 6, box: 24 };
const LEFT = 130;
const TOP = 34;

function svg(tag, attributes = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

export function graphPicture(tasks) {
  const tiles = [...new Set(tasks.map(t => t.tile))].sort();
  const dates = [...new Set(tasks.map(t => t.date))].sort();
  const cells = new Map();
  for (const task of [...tasks].sort((a, b) => a.taskId - b.taskId)) {
    const key = `${task.tile}|${task.date}`;
    if (!cells.has(key)) cells.set(key, []);
    cells.get(key).push(task);
  }
  const perCell = Math.max(1, ...[...cells.values()].map(c => c.length));
  const rowHeight = perCell * (CELL.box + CELL.gap) + 14;
  const width = LEFT + dates.length * CELL.width + 10;
  const height = TOP + tiles.length * rowHeight + 6;
  const picture = svg('svg', {
    viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', id: 'ingest-graph',
    'aria-label': `${tasks.length} tasks over ${tiles.length} tiles and ${dates.length} dates`,
  });
  picture.append(svg('title', {}, `${tasks.length} tasks over ${tiles.length} tiles and ${dates.length} dates`));
  const defs = svg('defs');
  const marker = svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
  marker.append(svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow-head' }));
  defs.append(marker);
  picture.append(defs);
  dates.forEach((date, c) => picture.append(svg('text', { x: LEFT + c * CELL.width + 8, y: 20, class: 'axis' }, date)));
  const where = new Map();
  tiles.forEach((tile, r) => {
    const top = TOP + r * rowHeight;
    picture.append(svg('text', { x: 6, y: top + 20, class: 'axis' }, tile));
    picture.append(svg('line', { x1: 0, x2: width, y1: top - 4, y2: top - 4, class: 'row-rule' }));
    dates.forEach((date, c) => {
      (cells.get(`${tile}|${date}`) ?? []).forEach((task, k) => {
        const x = LEFT + c * CELL.width + 8;
        const y = top + 4 + k * (CELL.box + CELL.gap);
        where.set(task.taskId, { x, y });
        const node = svg('g', { class: `node state-${task.state.toLowerCase()}`, 'data-task': task.taskId, 'data-state': task.state, 'data-step': task.step });
        node.append(svg('title', {}, `task ${task.taskId}: ${task.step} of ${task.scene}, ${task.status ?? 'deleted'} (${task.state})`));
        node.append(svg('rect', { x, y, width: CELL.width - 40, height: CELL.box, rx: 5 }));
        node.append(svg('text', { x: x + 7, y: y + 16 }, `${task.step} · ${task.state}`));
        picture.append(node);
      });
    });
  });
  // Arrows over the boxes, each from the prerequisite to the task that waits for it.
  for (const task of tasks) {
    const to = where.get(task.taskId);
    for (const after of task.after ?? []) {
      const from = where.get(after.taskId);
      if (!from || !to) continue;
      const sameColumn = from.x === to.x;
      const [x1, y1] = sameColumn ? [from.x + 14, from.y + CELL.box] : [from.x + CELL.width - 40, from.y + CELL.box / 2];
      const [x2, y2] = sameColumn ? [to.x + 14, to.y] : [to.x, to.y + CELL.box / 2];
      // Over the boxes between: an arrow that skips columns arcs above the row instead of crossing them.
      const lift = Math.abs(x2 - x1) > CELL.width ? CELL.box : 0;
      const bend = sameColumn ? '' : ` C ${x1 + 20 + lift} ${y1 - lift}, ${x2 - 20 - lift} ${y2 - lift},`;
      picture.append(svg('path', {
        d: sameColumn ? `M ${x1} ${y1} L ${x2} ${y2}` : `M ${x1} ${y1}${bend} ${x2} ${y2}`,
        class: `edge edge-${after.kind}`, 'data-from': after.taskId, 'data-to': task.taskId, 'data-kind': after.kind, 'marker-end': 'url(#arrow)',
      }));
    }
  }
  return picture;
}
