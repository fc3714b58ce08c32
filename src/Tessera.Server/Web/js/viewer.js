// The result on a map, as an analyst wants to look at it: over a basemap, with its opacity, the bands shown (true
// colour by the bands' names when it has them), a stretch from the file's statistics (2–98 % by default, min–max, or
// by hand), a colormap for one band, a legend and a histogram that follow, a pixel inspector (click: every band's
// value, and a chart of them through a stack's bands), and a before/after swipe against one of the task's inputs.
import { api, withToken } from './api.js';
import { addBasemap } from './basemap.js';
import { histogram, number, seriesChart } from './charts.js';
import { el } from './format.js';

const CHANNELS = [['red', '#d62728'], ['green', '#2ca02c'], ['blue', '#1f77b4']];

/** Bands named as a true-colour composite's red, green and blue (by description: red/B04/B4, green/B03/B3, blue/B02/B2). */
export function trueColour(bands) {
  const find = patterns => bands.find(b => patterns.some(p => p.test((b.description ?? '').trim())))?.index;
  const red = find([/^red$/i, /^B0?4$/i, /(^|[^a-z])red([^a-z]|$)/i]);
  const green = find([/^green$/i, /^B0?3$/i, /(^|[^a-z])green([^a-z]|$)/i]);
  const blue = find([/^blue$/i, /^B0?2$/i, /(^|[^a-z])blue([^a-z]|$)/i]);
  return red && green && blue ? [red, green, blue] : null;
}

export async function showViewer(section, result, task) {
  const fileId = result.outputFileId;
  const [file, statistics, colormaps, published] = await Promise.all([
    api(`/files/${fileId}`), api(`/files/${fileId}/statistics`), api('/colormaps'), api(result.legendUrl).catch(() => null)]);
  const bands = file.raster.bands;
  const stats = Object.fromEntries(statistics.bands.map(b => [b.index, b]));
  const label = index => stats[index]?.label ?? `band ${index}`;
  // Inputs to compare with: the task's input files that are rasters of the caller's.
  const inputs = (await Promise.all(Object.entries(task.inputs ?? {}).filter(([, i]) => i.fileId)
    .map(async ([role, i]) => ({ role, file: await api(`/files/${i.fileId}`).catch(() => null) })))).filter(i => i.file?.raster);

  const rgb = trueColour(bands);
  const state = {
    // Colour only where the bands say which are red, green and blue; any other stack is shown a band at a time.
    shown: rgb ? 'rgb' : '1',
    rgb: rgb ?? [1, 2, 3].map(b => Math.min(b, bands.length)),
    stretch: 'p2p98', min: '', max: '',
    colormap: published?.kind === 'colormap' ? published.colormap : 'viridis',
    opacity: 100, swipe: '', swipeAt: 50,
  };

  const map = el('div', { id: 'map', role: 'img', 'aria-label': 'Result on a map' });
  const options = (values, chosen) => values.map(([value, text]) => el('option', { value, text, selected: String(value) === String(chosen) }));
  const bandOptions = bands.map(b => [b.index, `${b.index}: ${label(b.index)}`]);
  const shown = el('select', { id: 'viewer-bands' }, options([...(bands.length >= 3 ? [['rgb', rgb ? 'true colour (RGB)' : 'RGB composite']] : []), ...bandOptions], state.shown));
  const channels = CHANNELS.map(([name], i) => el('select', { id: `viewer-${name}`, 'aria-label': `${name} channel` }, options(bandOptions, state.rgb[i])));
  const channelRow = el('div', { class: 'channels' }, CHANNELS.map(([name], i) => el('label', { class: 'inline' }, `${name[0].toUpperCase()} `, channels[i])));
  const stretch = el('select', { id: 'viewer-stretch' }, options([['p2p98', '2–98 % (statistics)'], ['minmax', 'min–max'], ['manual', 'by hand']], state.stretch));
  const low = el('input', { id: 'viewer-min', inputmode: 'decimal', size: 8, 'aria-label': 'stretch minimum' });
  const high = el('input', { id: 'viewer-max', inputmode: 'decimal', size: 8, 'aria-label': 'stretch maximum' });
  const manual = el('span', { class: 'manual' }, low, ' to ', high);
  const colormap = el('select', { id: 'viewer-colormap' }, options(colormaps.map(c => [c.name, c.name]), state.colormap));
  const opacity = el('input', { id: 'viewer-opacity', type: 'range', min: 0, max: 100, value: state.opacity });
  const swipe = el('select', { id: 'viewer-swipe' }, options([['', 'none'], ...inputs.map(i => [i.file.id, `${i.role}: ${i.file.name}`])], ''));
  const swipeAt = el('input', { id: 'viewer-swipe-at', type: 'range', min: 0, max: 100, value: state.swipeAt, 'aria-label': 'swipe position' });
  const legendBox = el('div', { id: 'viewer-legend', class: 'legend' });
  const histogramBox = el('div', { id: 'viewer-histogram' });
  const inspector = el('section', { id: 'inspector', 'aria-label': 'Pixel values', 'aria-live': 'polite' },
    el('p', { class: 'muted', text: 'Click the map for every band\'s value there.' }));
  const controls = el('form', { id: 'viewer-controls', class: 'viewer-controls', onsubmit: e => e.preventDefault() },
    el('div', {}, el('label', { for: 'viewer-bands', text: 'Bands' }), shown, channelRow),
    el('div', {}, el('label', { for: 'viewer-stretch', text: 'Stretch' }), stretch, manual),
    el('div', { class: 'colormap-field' }, el('label', { for: 'viewer-colormap', text: 'Colormap' }), colormap),
    el('div', {}, el('label', { for: 'viewer-opacity', text: 'Opacity' }), opacity),
    inputs.length ? el('div', {}, el('label', { for: 'viewer-swipe', text: 'Compare with (swipe)' }), swipe, swipeAt) : null,
    legendBox, histogramBox);
  section.append(el('div', { class: 'viewer' }, map, controls), inspector);

  const leaflet = L.map(map, { attributionControl: true });
  leaflet.attributionControl.setPrefix(false);
  await addBasemap(leaflet);
  const [west, south, east, north] = result.bounds;
  leaflet.fitBounds([[south, west], [north, east]]);
  leaflet.createPane('swipe').style.zIndex = 250;
  const divider = el('div', { class: 'swipe-divider', hidden: true });
  map.append(divider);
  let layer = null;
  let before = null;

  const bandsShown = () => state.shown === 'rgb' ? state.rgb : [Number(state.shown)];
  const rangeOf = band => state.stretch === 'manual' && low.value !== '' && high.value !== ''
    ? [Number(low.value), Number(high.value)]
    : state.stretch === 'minmax' ? [stats[band]?.min ?? 0, stats[band]?.max ?? 1] : [stats[band]?.p2 ?? 0, stats[band]?.p98 ?? 1];

  function tileUrl() {
    const query = new URLSearchParams();
    const shownBands = bandsShown();
    query.set('bands', shownBands.join(','));
    for (const band of shownBands) query.append('rescale', rangeOf(band).join(','));
    if (shownBands.length === 1) query.set('colormap', state.colormap);
    return withToken(`${result.tileUrl}?${query}`);
  }

  function drawLegend() {
    const shownBands = bandsShown();
    if (shownBands.length === 1) {
      const [lo, hi] = rangeOf(shownBands[0]);
      const colors = colormaps.find(c => c.name === state.colormap).colors;
      legendBox.replaceChildren(
        el('div', { text: label(shownBands[0]) }),
        el('div', { class: 'ramp', role: 'img', 'data-colormap': state.colormap, 'aria-label': `${state.colormap} from ${number(lo)} to ${number(hi)}`,
          style: `background: linear-gradient(to right, ${colors.join(', ')})` }),
        el('div', { class: 'range' }, el('span', { 'data-min': lo, text: number(lo) }), el('span', { 'data-max': hi, text: number(hi) })));
    } else {
      legendBox.replaceChildren(el('ul', {}, shownBands.map((band, i) => {
        const [lo, hi] = rangeOf(band);
        return el('li', { 'data-channel': CHANNELS[i][0], text: `${CHANNELS[i][0]}: band ${band} ${label(band)} (${number(lo)} – ${number(hi)})` });
      })));
    }
    const series = shownBands.filter(b => stats[b]?.histogram).map((b, i) => ({ histogram: stats[b].histogram, color: shownBands.length === 1 ? '#0b5cad' : CHANNELS[i][1] }));
    histogramBox.replaceChildren(series.length ? histogram(series, rangeOf(shownBands[0])) : el('p', { class: 'muted', text: 'No valid pixels.' }));
  }

  function draw() {
    channelRow.hidden = state.shown !== 'rgb';
    controls.querySelector('.colormap-field').hidden = state.shown === 'rgb';
    manual.hidden = state.stretch !== 'manual';
    if (state.stretch === 'manual' && low.value === '' && high.value === '') {
      const [lo, hi] = rangeOf(bandsShown()[0]).map(v => Number(number(v)));
      low.value = lo; high.value = hi;
    }
    const url = tileUrl();
    if (layer) layer.setUrl(url); else layer = L.tileLayer(url, { maxZoom: 22, className: 'result-tiles' }).addTo(leaflet);
    layer.setOpacity(state.opacity / 100);
    map.dataset.tiles = url.replace(/[?&]access_token=[^&]*/, '');
    drawLegend();
    drawSwipe();
  }

  function clip() {
    if (!before) return;
    const size = leaflet.getSize();
    const nw = leaflet.containerPointToLayerPoint([0, 0]);
    const se = leaflet.containerPointToLayerPoint(size);
    const at = nw.x + size.x * state.swipeAt / 100;
    leaflet.getPane('swipe').style.clip = `rect(${nw.y}px, ${at}px, ${se.y}px, ${nw.x}px)`;
    divider.style.left = `${state.swipeAt}%`;
  }

  function drawSwipe() {
    if (before) { leaflet.removeLayer(before); before = null; }
    divider.hidden = !state.swipe;
    swipeAt.hidden = !state.swipe;
    if (!state.swipe) return;
    before = L.tileLayer(withToken(`/tiles/${state.swipe}/{z}/{x}/{y}.png`), { maxZoom: 22, pane: 'swipe', className: 'swipe-tiles' }).addTo(leaflet);
    map.dataset.swipe = state.swipe;
    clip();
  }

  leaflet.on('move zoom resize', clip);
  shown.onchange = () => { state.shown = shown.value; low.value = ''; high.value = ''; draw(); };
  channels.forEach((select, i) => { select.onchange = () => { state.rgb[i] = Number(select.value); draw(); }; });
  stretch.onchange = () => { state.stretch = stretch.value; draw(); };
  low.onchange = high.onchange = () => draw();
  colormap.onchange = () => { state.colormap = colormap.value; draw(); };
  opacity.oninput = () => { state.opacity = Number(opacity.value); layer.setOpacity(state.opacity / 100); };
  swipe.onchange = () => { state.swipe = swipe.value; drawSwipe(); };
  swipeAt.oninput = () => { state.swipeAt = Number(swipeAt.value); clip(); };

  // The pixel inspector: every band's value under the click, and their line through a stack's bands.
  let marker = null;
  leaflet.on('click', async event => {
    const { lat, lng } = event.latlng.wrap(); // a map panned across the antimeridian still asks for -180..180
    marker ??= L.circleMarker(event.latlng, { radius: 5, color: '#c2410c' }).addTo(leaflet);
    marker.setLatLng(event.latlng);
    inspector.replaceChildren(el('p', { class: 'muted', text: 'Reading…' }));
    try {
      const point = await api(`/files/${fileId}/point?lon=${lng.toFixed(7)}&lat=${lat.toFixed(7)}`);
      inspector.replaceChildren(...[
        el('h3', { id: 'inspector-title', 'data-lon': point.lon, 'data-lat': point.lat,
          text: `Pixel ${point.column}, ${point.row} (${number(point.lat)}, ${number(point.lon)})` }),
        point.values.length > 1 ? seriesChart(point.values) : null,
        el('div', { class: 'scroll' }, el('table', { id: 'inspector-values' },
          el('thead', {}, el('tr', {}, ['Band', 'Label', 'Value'].map(h => el('th', { text: h })))),
          el('tbody', {}, point.values.map(v => el('tr', { 'data-band': v.band }, el('td', { text: v.band }), el('td', { text: v.label }),
            el('td', { 'data-value': v.value ?? '', text: v.noData ? 'no data' : number(v.value) }))))))].filter(Boolean));
    } catch (e) {
      inspector.replaceChildren(el('p', { class: 'error', text: e.message }));
    }
  });

  draw();
  return leaflet;
}
