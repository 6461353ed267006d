/** Pane sizes for a terminal of columns x rows; every size is what is inside the borders. */
export interface Layout {
  catalogWidth: number;
  editorWidth: number;
  topHeight: number;
  gridWidth: number;
  /** Lines inside the results border: title, header and data rows. */
  gridHeight: number;
  /** Data rows of the grid (below the title, the names and the types). */
  gridRows: number;
  /** Overlay area (replaces editor + results). */
  overlayHeight: number;
}

export function computeLayout(columns: number, rows: number): Layout {
  const width = Math.max(40, columns);
  const height = Math.max(12, rows);
  const top = Math.max(5, Math.min(12, Math.round(height * 0.3)));
  const catalog = width >= 120 ? 32 : width >= 70 ? 22 : 0;
  const gridOuter = height - top - 2; // status + help lines
  return {
    catalogWidth: catalog,
    editorWidth: width - (catalog > 0 ? catalog + 2 : 0) - 2,
    topHeight: top - 2,
    gridWidth: width - 2,
    gridHeight: gridOuter - 2,
    gridRows: Math.max(1, gridOuter - 2 - 3),
    overlayHeight: height - 2 - 2,
  };
}
