// What results are drawn over: the XYZ basemap the server is configured with, else the Natural Earth country
// borders and coastlines the page carries (public domain, 1:50m), so that a map means something offline.
import { features } from './topojson.js';

let settings = null;
let borders = null;

async function serverSettings() {
  settings ??= fetch('/web-settings.json').then(r => r.ok ? r.json() : {}).catch(() => ({}));
  return settings;
}

export async function addBasemap(map) {
  // Under everything the map shows (its tiles pane is 200).
  map.createPane('basemap').style.zIndex = 150;
  const { basemapUrl } = await serverSettings();
  if (basemapUrl) {
    return L.tileLayer(basemapUrl, { maxZoom: 22, pane: 'basemap', className: 'basemap-tiles' }).addTo(map);
  }
  borders ??= fetch('/web/vendor/natural-earth/countries-50m.json').then(r => r.json()).then(t => features(t, 'countries'));
  const layer = L.geoJSON(await borders, {
    interactive: false,
    pane: 'basemap',
    style: { color: '#7d8794', weight: 1, fillColor: '#f4f1ea', fillOpacity: 1 },
  });
  layer.options.attribution = 'Natural Earth';
  return layer.addTo(map);
}
