// Drawing an area on a Leaflet map, wherever the page asks for one (a crop's box, zonal zones, a catalog search):
// a rectangle by two clicks (its corners), a polygon by a click per corner, finished by a double click or a click on
// its first corner. Escape gives up. The map's own double-click zoom is off while drawing.

const STYLE = { color: '#c2410c', weight: 2, fillOpacity: 0.12 };

/** Draws one area; resolves to L.LatLngBounds (rectangle) or an array of L.LatLng (polygon), or null when given up. */
export function drawArea(map, kind) {
  return new Promise(resolve => {
    const container = map.getContainer();
    container.classList.add('drawing');
    container.dataset.drawing = kind;
    const zoom = map.doubleClickZoom.enabled();
    map.doubleClickZoom.disable();
    const points = [];
    let shape = null;
    const draw = hover => {
      const all = hover ? [...points, hover] : points;
      if (shape) map.removeLayer(shape);
      shape = null;
      if (all.length === 0) return;
      shape = kind === 'rectangle'
        ? (all.length > 1 ? L.rectangle(L.latLngBounds(all[0], all[all.length - 1]), { ...STYLE, interactive: false }) : L.circleMarker(all[0], { radius: 3, ...STYLE }))
        : L.polygon(all, { ...STYLE, interactive: false });
      shape.addTo(map);
    };
    const finish = result => {
      map.off('click', click); map.off('mousemove', move); map.off('dblclick', doubleClick);
      document.removeEventListener('keydown', key);
      if (shape) map.removeLayer(shape);
      if (zoom) map.doubleClickZoom.enable();
      container.classList.remove('drawing');
      delete container.dataset.drawing;
      resolve(result);
    };
    const click = event => {
      if (kind === 'polygon' && points.length >= 3 && map.latLngToContainerPoint(points[0]).distanceTo(event.containerPoint) < 8) {
        finish(points.slice());
        return;
      }
      points.push(event.latlng);
      if (kind === 'rectangle' && points.length === 2) finish(L.latLngBounds(points[0], points[1]));
      else draw();
    };
    const move = event => draw(event.latlng);
    const doubleClick = () => { if (kind === 'polygon' && points.length >= 3) finish(points.slice()); };
    const key = event => { if (event.key === 'Escape') finish(null); };
    map.on('click', click); map.on('mousemove', move); map.on('dblclick', doubleClick);
    document.addEventListener('keydown', key);
  });
}

/** "west,south,east,north" of bounds, to six decimals (about 0.1 m). */
export function boxText(bounds) {
  const wrapped = L.latLngBounds(bounds.getSouthWest().wrap(), bounds.getNorthEast().wrap());
  return [wrapped.getWest(), wrapped.getSouth(), wrapped.getEast(), wrapped.getNorth()].map(v => v.toFixed(6)).join(',');
}

/** A polygon's corners as a GeoJSON Feature (lon/lat, ring closed). */
export function polygonFeature(latlngs, properties = {}) {
  const ring = latlngs.map(p => p.wrap()).map(p => [Number(p.lng.toFixed(7)), Number(p.lat.toFixed(7))]);
  ring.push(ring[0]);
  return { type: 'Feature', properties, geometry: { type: 'Polygon', coordinates: [ring] } };
}
