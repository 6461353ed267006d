import type { Box, Dot, DotGrid } from '../db/workbenchQueries.js';

/**
 * The map's geometry: a view (centre and degrees of latitude per braille dot), the dot grid DuckDB
 * bins the points into, braille characters from lit dots, boxes in degrees, and a scale bar. A
 * terminal cell is about twice as high as wide, so its 2x4 braille dots are about square; a degree
 * of longitude is cos(latitude) times a degree of latitude on the ground, so a dot spans
 * dlat / cos(latitude) degrees of longitude. Pure.
 */
export interface MapView {
  centerLat: number;
  centerLon: number;
  /** Degrees of latitude per dot. */
  dlat: number;
}

export const dotsPerCell = { x: 2, y: 4 } as const;
const earthKmPerDegree = 111.32;

const cosLat = (lat: number) => Math.max(0.01, Math.cos((lat * Math.PI) / 180));

/** The view that shows the whole box in cellsW x cellsH cells (with a little margin). */
export function fitView(box: Box, cellsW: number, cellsH: number): MapView {
  const centerLat = (box.south + box.north) / 2;
  const centerLon = (box.west + box.east) / 2;
  const dotsX = cellsW * dotsPerCell.x;
  const dotsY = cellsH * dotsPerCell.y;
  const need = Math.max((box.north - box.south) / dotsY, ((box.east - box.west) * cosLat(centerLat)) / dotsX);
  return { centerLat, centerLon, dlat: need > 0 ? need * 1.04 : 1e-4 };
}

export function viewGrid(view: MapView, cellsW: number, cellsH: number): DotGrid {
  const dotsX = cellsW * dotsPerCell.x;
  const dotsY = cellsH * dotsPerCell.y;
  const dlon = view.dlat / cosLat(view.centerLat);
  return {
    west: view.centerLon - (dotsX / 2) * dlon,
    north: view.centerLat + (dotsY / 2) * view.dlat,
    dlon,
    dlat: view.dlat,
    dotsX,
    dotsY,
  };
}

/** Braille bit of dot (dx, dy) inside its cell (Unicode's dot numbering 1-8). */
const brailleBit = [
  [0x01, 0x08],
  [0x02, 0x10],
  [0x04, 0x20],
  [0x40, 0x80],
] as const;

export interface BrailleCells {
  /** One string per cell row, one braille character (or space) per cell. */
  rows: string[];
  /** Per cell, the colour value of its busiest dot (when coloured). */
  colours: (string | null | undefined)[][];
  /** Points drawn. */
  points: number;
}

export function brailleCells(dots: readonly Dot[], cellsW: number, cellsH: number): BrailleCells {
  const bits = Array.from({ length: cellsH }, () => new Array<number>(cellsW).fill(0));
  const best = Array.from({ length: cellsH }, () => new Array<number>(cellsW).fill(0));
  const colours = Array.from({ length: cellsH }, () =>
    new Array<string | null | undefined>(cellsW).fill(undefined),
  );
  let points = 0;
  for (const d of dots) {
    const cx = Math.floor(d.x / dotsPerCell.x);
    const cy = Math.floor(d.y / dotsPerCell.y);
    if (cx < 0 || cy < 0 || cx >= cellsW || cy >= cellsH) continue;
    bits[cy]![cx]! |= brailleBit[d.y % 4]![d.x % 2]!;
    points += d.n;
    if (d.n > best[cy]![cx]!) {
      best[cy]![cx] = d.n;
      colours[cy]![cx] = d.colour;
    }
  }
  const rows = bits.map((r) => r.map((b) => (b === 0 ? ' ' : String.fromCharCode(0x2800 + b))).join(''));
  return { rows, colours, points };
}

/** The box in degrees covered by the cells from (x0, y0) to (x1, y1), inclusive, any corner order. */
export function cellsBox(grid: DotGrid, a: { x: number; y: number }, b: { x: number; y: number }): Box {
  const x0 = Math.min(a.x, b.x);
  const x1 = Math.max(a.x, b.x) + 1;
  const y0 = Math.min(a.y, b.y);
  const y1 = Math.max(a.y, b.y) + 1;
  return {
    west: grid.west + x0 * dotsPerCell.x * grid.dlon,
    east: grid.west + x1 * dotsPerCell.x * grid.dlon,
    north: grid.north - y0 * dotsPerCell.y * grid.dlat,
    south: grid.north - y1 * dotsPerCell.y * grid.dlat,
  };
}

/** Degrees rounded for a query a person reads: enough decimals for a tenth of a dot. */
export function roundBox(box: Box, grid: DotGrid): Box {
  const decimals = Math.max(0, Math.min(9, Math.ceil(-Math.log10(Math.min(grid.dlat, grid.dlon) / 10))));
  const r = (x: number) => Number(x.toFixed(decimals));
  return { south: r(box.south), north: r(box.north), west: r(box.west), east: r(box.east) };
}

/** A scale bar of a round distance (1, 2 or 5 × 10^k km) at most maxCells wide, at the view's centre. */
export function scaleBar(view: MapView, maxCells: number): { cells: number; label: string } {
  const kmPerCell = view.dlat * dotsPerCell.x * earthKmPerDegree; // a dot is square on the ground
  const most = kmPerCell * Math.max(1, maxCells);
  let best = 0;
  for (let k = -3; k <= 4; k++)
    for (const m of [1, 2, 5]) {
      const d = m * 10 ** k;
      if (d <= most) best = d;
    }
  if (best === 0) best = most;
  const cells = Math.max(1, Math.round(best / kmPerCell));
  const label = best >= 1 ? `${Number(best.toPrecision(3))} km` : `${Math.round(best * 1000)} m`;
  return { cells, label };
}

/** Latitude/longitude of the centre of cell (x, y). */
export function cellCentre(grid: DotGrid, x: number, y: number): { lat: number; lon: number } {
  return {
    lon: grid.west + (x + 0.5) * dotsPerCell.x * grid.dlon,
    lat: grid.north - (y + 0.5) * dotsPerCell.y * grid.dlat,
  };
}

/** Zooms by `factor` (2 = in) keeping the point under cell (x, y) where it is on screen. */
export function zoomAt(
  view: MapView,
  cellsW: number,
  cellsH: number,
  x: number,
  y: number,
  factor: number,
): MapView {
  const grid = viewGrid(view, cellsW, cellsH);
  const p = cellCentre(grid, x, y);
  const dlat = view.dlat / factor;
  const offX = (x + 0.5) * dotsPerCell.x - (cellsW * dotsPerCell.x) / 2;
  const offY = (y + 0.5) * dotsPerCell.y - (cellsH * dotsPerCell.y) / 2;
  const centerLat = p.lat + offY * dlat;
  // The new centre's latitude sets the new width of a degree of longitude.
  return { centerLat, centerLon: p.lon - offX * (dlat / cosLat(centerLat)), dlat };
}

/** Moves the view by whole cells (positive: east and south). */
export function panCells(view: MapView, dx: number, dy: number): MapView {
  const dlon = view.dlat / cosLat(view.centerLat);
  return {
    ...view,
    centerLon: view.centerLon + dx * dotsPerCell.x * dlon,
    centerLat: view.centerLat - dy * dotsPerCell.y * view.dlat,
  };
}

/** "42.2301–42.4102 N, 71.1903–70.9807 W" */
export function formatBox(box: Box): string {
  const lat = (x: number) => `${Math.abs(x).toFixed(4)}`;
  const ns = (x: number) => (x >= 0 ? 'N' : 'S');
  const ew = (x: number) => (x >= 0 ? 'E' : 'W');
  return `${lat(box.south)}${ns(box.south)}–${lat(box.north)}${ns(box.north)}, ${lat(box.west)}${ew(box.west)}–${lat(box.east)}${ew(box.east)}`;
}
