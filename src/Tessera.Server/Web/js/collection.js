// One collection of the STAC API: its items' footprints on a map, on a timeline and in a table, linked by one
// selection whose details are shown beside the map. The date and cloud cover filters ask /stac/search again.
import { api, withToken } from './api.js';
import { el, utcTime } from './format.js';
import { timeline } from './timeline.js';
import { addBasemap } from './basemap.js';
import { seriesChart } from './charts.js';
import { boxText, drawArea } from './draw.js';

/** At most this many items are loaded (the newest first); more are only counted. */
const MOST = 2000;
const PAGE_SIZE = 500;
const TYPING_MS = 300;
const FOOTPRINT = { color: '#0b5cad', weight: 1, fillOpacity: 0.08 };
const CHOSEN = { color: '#c2410c', weight: 3, fillOpacity: 0.3 };

export async function showCollection(view, id) {
  let stopped = false;
  const message = el('p', { class: 'error', role: 'alert', id: 'collection-error' });
  const title = el('h2', { id: 'collection-title', text: id });
  view.append(el('p', {}, el('a', { href: '#/collections', text: '← Collections' })), title, message);

  let collection;
  try {
    collection = await api(`/stac/collections/${encodeURIComponent(id)}`);
  } catch (e) {
    message.textContent = e.message;
    return () => {};
  }
  title.textContent = collection.title || collection.id;

  const from = el('input', { type: 'date', id: 'filter-from', oninput: () => later() });
  const to = el('input', { type: 'date', id: 'filter-to', oninput: () => later() });
  const cloud = el('input', { type: 'number', id: 'filter-cloud', min: 0, max: 100, step: 'any', placeholder: 'any',
    title: 'Scenes whose cloud cover is not known are left out.', oninput: () => later() });
  const clear = el('button', { type: 'button', class: 'secondary', id: 'filter-clear', text: 'Clear filters', onclick: () => {
    from.value = to.value = cloud.value = '';
    load();
  } });
  const drawButton = el('button', { type: 'button', class: 'secondary', id: 'filter-draw', text: 'Draw an area' });
  const clearArea = el('button', { type: 'button', class: 'secondary', id: 'filter-area-clear', text: 'Clear the area', hidden: true });
  const areaText = el('span', { id: 'filter-area', class: 'muted' });
  const assetChoice = el('select', { id: 'series-asset' });
  const series = el('section', { id: 'collection-series', 'aria-label': 'A point through time', 'aria-live': 'polite' },
    el('p', { class: 'muted', text: 'Click the map: the chosen asset\'s value there in every item, through time.' }));
  const summary = el('p', { id: 'items-summary', role: 'status' });
  const mapElement = el('div', { id: 'collection-map', role: 'region', 'aria-label': 'Footprints of the items' });
  const detail = el('section', { id: 'item-detail', 'aria-label': 'Chosen item' });
  const timelineHolder = el('div');
  const rows = el('tbody');
  const results = el('div', { id: 'collection-items' },
    el('div', { class: 'collection' }, mapElement, detail),
    timelineHolder,
    el('div', { class: 'scroll' }, el('table', { id: 'items' },
      el('thead', {}, el('tr', {}, ['Id', 'Date', 'Cloud cover'].map(h => el('th', { scope: 'col', text: h })))),
      rows)));

  view.append(
    el('p', { class: 'muted', id: 'collection-description' }, collection.description ?? '', ' ', el('code', { text: collection.id })),
    el('div', { class: 'toolbar' },
      el('div', {}, el('label', { for: 'filter-from', text: 'From (UTC)' }), from),
      el('div', {}, el('label', { for: 'filter-to', text: 'To (UTC)' }), to),
      el('div', {}, el('label', { for: 'filter-cloud', text: 'Max cloud cover (%)' }), cloud),
      clear,
      el('div', {}, drawButton, ' ', clearArea, ' ', areaText),
      el('div', {}, el('label', { for: 'series-asset', text: 'Time series of' }), assetChoice)),
    summary,
    results,
    series);

  // The basemap the results' map has: the Natural Earth borders the page carries, or the configured one.
  const map = L.map(mapElement, { attributionControl: false });
  await addBasemap(map);
  const footprints = L.featureGroup().addTo(map);
  fitExtent(map, collection);

  // An area for the search, drawn on the map.
  let area = null;
  let areaShape = null;
  let drawingNow = false;
  drawButton.onclick = async () => {
    drawingNow = true;
    drawButton.disabled = true;
    const drawn = await drawArea(map, 'rectangle');
    drawButton.disabled = false;
    setTimeout(() => { drawingNow = false; }, 0);
    if (!drawn) return;
    area = drawn;
    if (areaShape) map.removeLayer(areaShape);
    areaShape = L.rectangle(drawn, { color: '#c2410c', weight: 2, fill: false, interactive: false, className: 'search-area' }).addTo(map);
    areaText.textContent = boxText(drawn);
    clearArea.hidden = false;
    load();
  };
  clearArea.onclick = () => {
    area = null;
    if (areaShape) map.removeLayer(areaShape);
    areaShape = null;
    areaText.textContent = '';
    clearArea.hidden = true;
    load();
  };

  // A point through time: the chosen asset's value under a click, in every item whose footprint holds it.
  let marker = null;
  map.on('click', async event => {
    if (drawingNow || map.getContainer().dataset.drawing) return;
    const { lat, lng } = event.latlng.wrap();
    marker ??= L.circleMarker(event.latlng, { radius: 5, color: '#c2410c' }).addTo(map);
    marker.setLatLng(event.latlng);
    series.replaceChildren(el('p', { class: 'muted', text: 'Reading…' }));
    try {
      const read = await api(`/catalog/collections/${encodeURIComponent(collection.id)}/point?lon=${lng.toFixed(7)}&lat=${lat.toFixed(7)}&asset=${encodeURIComponent(assetChoice.value)}`);
      const values = read.values.map((v, i) => ({ band: i + 1, label: utcTime(v.datetime), value: v.value, item: v.item }));
      series.replaceChildren(...[
        el('h3', { id: 'series-title', 'data-lon': read.lon, 'data-lat': read.lat, text: `${assetChoice.value} at ${lat.toFixed(5)}, ${lng.toFixed(5)}: ${values.length} item(s)` }),
        read.notOnThisMachine ? el('p', { class: 'muted', text: `${read.notOnThisMachine} item(s) have this asset on another server only: download them to read them here.` }) : null,
        values.some(v => v.value !== null) ? seriesChart(values) : el('p', { class: 'muted', text: 'No value here in any item on this machine.' }),
        el('div', { class: 'scroll' }, el('table', { id: 'series-values' },
          el('thead', {}, el('tr', {}, ['Item', 'Date', 'Value'].map(h => el('th', { text: h })))),
          el('tbody', {}, read.values.map(v => el('tr', { 'data-item': v.item }, el('td', { text: v.item }), el('td', { text: utcTime(v.datetime) }),
            el('td', { 'data-value': v.value ?? '', text: v.value ?? (v.error ?? 'no data') }))))))].filter(Boolean));
    } catch (e) {
      series.replaceChildren(el('p', { class: 'error', text: e.message }));
    }
  });

  let items = [];
  let chosen = null;
  let line = timeline([], () => {});
  const shapes = new Map();
  const tableRows = new Map();

  function choose(itemId, origin) {
    chosen = items.find(i => i.id === itemId) ?? null;
    for (const [shapeId, shape] of shapes) {
      const on = shapeId === chosen?.id;
      shape.setStyle(on ? CHOSEN : FOOTPRINT);
      shape.eachLayer(part => part.getElement?.()?.classList.toggle('selected', on));
      if (on) shape.bringToFront();
    }
    line.select(chosen?.id);
    for (const [rowId, row] of tableRows) {
      row.classList.toggle('selected', rowId === chosen?.id);
      row.setAttribute('aria-selected', String(rowId === chosen?.id));
    }
    if (!chosen) {
      detail.replaceChildren(el('p', { class: 'muted', text: items.length ? 'Choose an item on the map, the timeline or the list.' : '' }));
      return;
    }
    if (origin !== 'list') tableRows.get(chosen.id)?.scrollIntoView({ block: 'nearest' });
    const shape = shapes.get(chosen.id);
    if (origin !== 'map' && shape && !map.getBounds().contains(shape.getBounds())) map.fitBounds(shape.getBounds(), { padding: [20, 20], maxZoom: 12 });
    detail.replaceChildren(...itemDetails(chosen));
  }

  /** Draws the items found on the map, the timeline and the table; failure: why there are none. */
  function show(found, failure) {
    items = found.items;
    summary.textContent = failure ?? (found.capped
      ? `Showing the first ${MOST} of ${found.matched} items (the newest): narrow the dates or the cloud cover to see the others.`
      : items.length > 0 ? `${items.length} item${items.length === 1 ? '' : 's'}.`
        : filtered() ? 'No items match these filters.' : 'No items in this collection.');

    footprints.clearLayers();
    shapes.clear();
    for (const item of items.filter(i => i.geometry)) {
      const shape = L.geoJSON(item.geometry, { style: () => FOOTPRINT, pointToLayer: (_, at) => L.circleMarker(at, { radius: 5 }) });
      shape.on('click', () => choose(item.id, 'map'));
      shape.addTo(footprints);
      shape.eachLayer(part => {
        const element = part.getElement?.();
        if (!element) return;
        element.classList.add('footprint');
        element.dataset.item = item.id;
      });
      shapes.set(item.id, shape);
    }
    if (footprints.getLayers().length > 0) map.fitBounds(footprints.getBounds(), { padding: [20, 20], maxZoom: 12 });

    line = timeline(items.filter(i => when(i) !== null).map(i => ({ id: i.id, time: when(i), label: utcTime(when(i)) })), itemId => choose(itemId, 'timeline'));
    timelineHolder.replaceChildren(line.element);

    tableRows.clear();
    rows.replaceChildren(...items.map(item => {
      const row = el('tr', { 'data-item': item.id, 'aria-selected': 'false', onclick: () => choose(item.id, 'list') },
        el('td', {}, el('button', { type: 'button', class: 'link', text: item.id })),
        el('td', { text: utcTime(when(item)) || '—' }),
        el('td', { text: cloudCover(item) }));
      tableRows.set(item.id, row);
      return row;
    }));
    if (items.length === 0) rows.append(el('tr', {}, el('td', { colspan: 3, class: 'muted', text: summary.textContent })));
    // The assets a series can be read of: the raster assets the items have.
    const keys = [...new Set(items.flatMap(i => Object.entries(i.assets ?? {}).filter(([, a]) => /tiff|geotiff/i.test(a.type ?? '') || !a.type).map(([k]) => k)))];
    const was = assetChoice.value;
    assetChoice.replaceChildren(...keys.map(k => el('option', { value: k, text: k, selected: k === was })));
    choose(chosen?.id, 'filter');
  }

  const filtered = () => Boolean(from.value || to.value || cloud.value !== '' || area);

  /** The search of the filters, newest first: /stac/search with datetime (whole UTC days) and the query extension. */
  function searchUrl() {
    const parameters = new URLSearchParams({ collections: collection.id, limit: PAGE_SIZE, sortby: '-datetime' });
    if (from.value || to.value) {
      parameters.set('datetime', `${from.value ? `${from.value}T00:00:00Z` : '..'}/${to.value ? `${to.value}T23:59:59.999Z` : '..'}`);
    }
    if (cloud.value !== '' && Number.isFinite(cloud.valueAsNumber)) {
      parameters.set('query', JSON.stringify({ 'eo:cloud_cover': { lte: cloud.valueAsNumber } }));
    }
    if (area) parameters.set('bbox', boxText(area));
    return `/stac/search?${parameters}`;
  }

  // Only the latest search is shown: an earlier one answering late is dropped.
  let generation = 0;
  async function load() {
    clearTimeout(timer);
    const mine = ++generation;
    summary.textContent = 'Loading items…';
    results.setAttribute('aria-busy', 'true');
    try {
      const found = await everyPage(searchUrl(), () => stopped || mine !== generation);
      if (!found) return;
      message.textContent = '';
      show(found);
    } catch (e) {
      if (stopped || mine !== generation) return;
      message.textContent = e.message;
      show({ items: [], matched: 0, capped: false }, 'No items: the search failed.');
    } finally {
      if (mine === generation) results.removeAttribute('aria-busy');
    }
  }

  let timer = 0;
  function later() {
    clearTimeout(timer);
    timer = setTimeout(load, TYPING_MS);
  }

  await load();
  return () => { stopped = true; clearTimeout(timer); map.remove(); };
}

/** Follows the next links up to MOST items; null when given up (a newer search, or the view left). */
async function everyPage(url, givenUp) {
  const items = [];
  let matched = null;
  let next = url;
  while (next && items.length < MOST) {
    const page = await api(next);
    if (givenUp()) return null;
    matched ??= page.numberMatched ?? page.context?.matched ?? null;
    items.push(...(page.features ?? []));
    next = page.links?.find(link => link.rel === 'next')?.href;
  }
  const capped = items.length > MOST || Boolean(next);
  return { items: items.slice(0, MOST), matched: matched ?? items.length, capped };
}

/** An item's time in ms: its datetime, else the start of its range; null when it has neither. */
function when(item) {
  const value = item.properties?.datetime ?? item.properties?.start_datetime;
  return value ? Date.parse(value) : null;
}

function cloudCover(item) {
  const value = item.properties?.['eo:cloud_cover'];
  return typeof value === 'number' ? `${Number(value.toFixed(1))} %` : '—';
}

function itemDetails(item) {
  const properties = item.properties ?? {};
  const time = when(item);
  const assets = Object.entries(item.assets ?? {});
  return [
    el('h3', { id: 'detail-id', text: item.id }),
    el('dl', { class: 'info' },
      el('dt', { text: 'Date' }), el('dd', { id: 'detail-datetime', title: properties.datetime ?? '', text: time === null ? '—' : utcTime(time) }),
      el('dt', { text: 'Cloud cover' }), el('dd', { id: 'detail-cloud', text: cloudCover(item) }),
      el('dt', { text: 'Platform' }), el('dd', { id: 'detail-platform', text: properties.platform ?? '—' }),
      properties.instruments ? [el('dt', { text: 'Instruments' }), el('dd', { text: [].concat(properties.instruments).join(', ') })] : null,
      properties['grid:code'] ? [el('dt', { text: 'Grid' }), el('dd', { text: properties['grid:code'] })] : null),
    el('h4', { text: 'Assets' }),
    assets.length === 0 ? el('p', { class: 'muted', text: 'No assets.' }) : el('table', { id: 'detail-assets' },
      el('thead', {}, el('tr', {}, ['Key', 'Title', 'Href'].map(h => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, assets.map(([key, asset]) => el('tr', { 'data-asset': key },
        el('td', {}, el('code', { text: key })),
        el('td', { text: asset.title ?? asset.type ?? '' }),
        el('td', { class: 'href' }, link(asset.href)))))),
  ];
}

/** An asset's address as a link: this server's need the token; other schemes than http(s) stay text. */
function link(href) {
  if (typeof href !== 'string') return '';
  let url;
  try { url = new URL(href, location.href); } catch { return href; }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return href;
  return el('a', { href: url.origin === location.origin ? withToken(url.href) : url.href, rel: 'noopener', target: '_blank', text: href });
}

/** Before any item is drawn: the collection's declared extent, else the world. */
function fitExtent(map, collection) {
  const [west, south, east, north] = collection.extent?.spatial?.bbox?.[0] ?? [-180, -90, 180, 90];
  if ([west, south, east, north].every(Number.isFinite) && east > west && north > south) map.fitBounds([[south, west], [north, east]]);
  else map.setView([0, 0], 1);
}
