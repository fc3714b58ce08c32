// Small SVG charts: a histogram with the stretch marked, a line of values through a stack's bands (a time series).
const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attributes = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attributes)) if (v !== undefined && v !== null) node.setAttribute(k, v);
  for (const c of children.flat()) if (c) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

export function number(value) {
  if (value === null || value === undefined) return '—';
  return Math.abs(value) >= 1000 || Number.isInteger(value) ? String(Math.round(value * 1000) / 1000) : Number(value.toPrecision(4)).toString();
}

/** Bars of each histogram (one per shown band, in its colour), the stretch range shaded. */
export function histogram(series, stretch, { width = 320, height = 110 } = {}) {
  const pad = { left: 4, right: 4, top: 6, bottom: 18 };
  const min = Math.min(...series.map(s => s.histogram.min));
  const max = Math.max(...series.map(s => s.histogram.max));
  const x = v => pad.left + (max > min ? (v - min) / (max - min) : 0.5) * (width - pad.left - pad.right);
  const top = Math.max(1, ...series.flatMap(s => s.histogram.counts));
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, class: 'histogram', role: 'img',
    'aria-label': `Histogram from ${number(min)} to ${number(max)}; stretch ${number(stretch[0])} to ${number(stretch[1])}` });
  chart.append(svg('rect', { class: 'stretch', x: x(stretch[0]), y: pad.top, width: Math.max(1, x(stretch[1]) - x(stretch[0])),
    height: height - pad.top - pad.bottom, 'data-min': stretch[0], 'data-max': stretch[1] }));
  for (const s of series) {
    const { counts, min: lo, max: hi } = s.histogram;
    const step = (hi - lo) / counts.length;
    counts.forEach((count, i) => {
      const h = (height - pad.top - pad.bottom) * count / top;
      chart.append(svg('rect', { class: 'bar', fill: s.color, 'fill-opacity': series.length > 1 ? 0.55 : 0.85,
        x: x(lo + i * step), y: height - pad.bottom - h, width: Math.max(0.5, x(lo + (i + 1) * step) - x(lo + i * step) - 0.3), height: h }));
    });
  }
  chart.append(svg('text', { x: pad.left, y: height - 4, 'font-size': 10 }, number(min)),
    svg('text', { x: width - pad.right, y: height - 4, 'font-size': 10, 'text-anchor': 'end' }, number(max)));
  return chart;
}

/** A line of a point's values through the bands (a stack's dates, or its bands), gaps where there is no data. */
export function seriesChart(values, { width = 520, height = 180 } = {}) {
  const pad = { left: 44, right: 10, top: 10, bottom: 34 };
  const valid = values.filter(v => v.value !== null);
  const lo = Math.min(...valid.map(v => v.value));
  const hi = Math.max(...valid.map(v => v.value));
  const span = hi > lo ? hi - lo : 1;
  const x = i => pad.left + (values.length > 1 ? i / (values.length - 1) : 0.5) * (width - pad.left - pad.right);
  const y = v => height - pad.bottom - (v - lo) / span * (height - pad.top - pad.bottom);
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, class: 'series', role: 'img',
    'aria-label': `Values through ${values.length} bands, from ${number(lo)} to ${number(hi)}` });
  chart.append(...[svg('line', { x1: pad.left, x2: width - pad.right, y1: height - pad.bottom, y2: height - pad.bottom, class: 'axis' }),
    svg('line', { x1: pad.left, x2: pad.left, y1: pad.top, y2: height - pad.bottom, class: 'axis' }),
    svg('text', { x: pad.left - 4, y: y(hi) + 4, 'text-anchor': 'end', 'font-size': 10 }, number(hi)),
    hi > lo ? svg('text', { x: pad.left - 4, y: y(lo), 'text-anchor': 'end', 'font-size': 10 }, number(lo)) : null].filter(Boolean));
  // A new segment after each gap (no data at that band).
  let path = '';
  let drawing = false;
  values.forEach((v, i) => {
    if (v.value === null) { drawing = false; return; }
    path += `${drawing ? 'L' : 'M'}${x(i).toFixed(1)},${y(v.value).toFixed(1)}`;
    drawing = true;
  });
  chart.append(svg('path', { d: path, class: 'line' }));
  values.forEach((v, i) => {
    if (v.value !== null) {
      chart.append(svg('circle', { cx: x(i), cy: y(v.value), r: 2.5, class: 'dot', 'data-band': v.band, 'data-value': v.value },
        svg('title', {}, `${v.label}: ${number(v.value)}`)));
    }
  });
  const labelled = [0, Math.floor((values.length - 1) / 2), values.length - 1].filter((i, k, all) => all.indexOf(i) === k);
  for (const i of labelled) {
    chart.append(svg('text', { x: x(i), y: height - pad.bottom + 14, 'font-size': 10, 'text-anchor': i === 0 ? 'start' : i === values.length - 1 ? 'end' : 'middle' },
      values[i].label.length > 16 ? values[i].label.slice(0, 10) : values[i].label));
  }
  return chart;
}
