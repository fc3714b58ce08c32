// TopoJSON (the format Natural Earth's borders are vendored in) to GeoJSON features: arcs delta-decoded and
// unquantized, rings assembled from arcs (a negative index is an arc reversed), shared points not repeated.

export function features(topology, objectName) {
  const { scale, translate } = topology.transform ?? { scale: [1, 1], translate: [0, 0] };
  const arcs = topology.arcs.map(arc => {
    let x = 0, y = 0;
    return arc.map(([dx, dy]) => {
      if (topology.transform) { x += dx; y += dy; } else { x = dx; y = dy; }
      return [x * scale[0] + translate[0], y * scale[1] + translate[1]];
    });
  });
  const ring = indices => {
    const points = [];
    for (const index of indices) {
      const arc = index < 0 ? arcs[~index].slice().reverse() : arcs[index];
      points.push(...(points.length ? arc.slice(1) : arc));
    }
    return points;
  };
  const geometry = g => {
    switch (g.type) {
      case 'Polygon': return { type: 'Polygon', coordinates: g.arcs.map(ring) };
      case 'MultiPolygon': return { type: 'MultiPolygon', coordinates: g.arcs.map(polygon => polygon.map(ring)) };
      case 'LineString': return { type: 'LineString', coordinates: ring(g.arcs) };
      case 'MultiLineString': return { type: 'MultiLineString', coordinates: g.arcs.map(ring) };
      default: return null;
    }
  };
  return topology.objects[objectName].geometries
    .map(g => ({ type: 'Feature', id: g.id, properties: g.properties ?? {}, geometry: geometry(g) }))
    .filter(f => f.geometry);
}
