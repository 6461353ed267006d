import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { catalogEntries, mapCells, type AppState } from '../appState.js';
import type { CompletionState } from '../completion.js';
import type { EditorState } from '../editorState.js';
import { scopeOf } from '../keyRouter.js';
import { computeLayout } from '../layout.js';
import { theme } from '../theme.js';
import { CatalogView } from './CatalogView.js';
import { ChartView } from './ChartView.js';
import { DedupeView } from './DedupeView.js';
import { DetailView } from './DetailView.js';
import { EditorView } from './EditorView.js';
import { GridView } from './GridView.js';
import { HelpLine } from './HelpLine.js';
import { HelpView } from './HelpView.js';
import { HistoryView } from './HistoryView.js';
import { MapView } from './MapView.js';
import { StatusLine } from './StatusLine.js';

export interface WorkbenchScreenProps {
  state: AppState;
  editor: EditorState;
  completion: CompletionState | undefined;
  /** The terminal's size. */
  columns: number;
  rows: number;
  description: string;
  ruleText: string;
}

/** The whole screen from the state: catalog, editor and grid, or an overlay; status and help lines. */
export function WorkbenchScreen({
  state,
  editor,
  completion,
  columns,
  rows,
  description,
  ruleText,
}: WorkbenchScreenProps) {
  const layout = computeLayout(columns, rows);
  const entries = useMemo(() => catalogEntries(state.catalog.relations), [state.catalog.relations]);
  const scope = scopeOf(state.focus, state.overlay, completion !== undefined);
  const border = (focused: boolean) => (focused && !state.overlay ? theme.borderFocused : theme.border);
  const result = state.result;
  const overlay = state.overlay;
  let middle;
  if (overlay?.kind === 'help') middle = <HelpView width={layout.gridWidth} height={layout.overlayHeight} />;
  else if (overlay?.kind === 'detail' && result)
    middle = (
      <DetailView
        result={result}
        row={state.grid.row}
        col={state.grid.col}
        scroll={overlay.scroll}
        width={layout.gridWidth}
        height={layout.overlayHeight}
      />
    );
  else if (overlay?.kind === 'dedupe')
    middle = (
      <DedupeView
        dedupe={state.dedupe}
        ruleText={ruleText}
        width={layout.gridWidth}
        height={layout.overlayHeight}
      />
    );
  else if (overlay?.kind === 'chart')
    middle = <ChartView chart={overlay} width={layout.gridWidth} height={layout.overlayHeight} />;
  else if (overlay?.kind === 'map') {
    const cells = mapCells(state);
    middle = <MapView map={overlay} cellsW={cells.w} cellsH={cells.h} />;
  } else if (overlay?.kind === 'history')
    middle = (
      <HistoryView
        search={overlay}
        history={editor.history}
        width={layout.gridWidth}
        height={layout.overlayHeight}
      />
    );
  return (
    <Box flexDirection="column" width={columns} height={rows}>
      {middle ? (
        <Box borderStyle="round" borderColor={theme.borderFocused} height={layout.overlayHeight + 2}>
          {middle}
        </Box>
      ) : (
        <>
          <Box flexDirection="row" height={layout.topHeight + 2}>
            {layout.catalogWidth > 0 ? (
              <Box
                borderStyle="round"
                borderColor={border(state.focus === 'catalog')}
                width={layout.catalogWidth + 2}
              >
                <CatalogView
                  entries={entries}
                  selected={state.catalog.selected}
                  focused={state.focus === 'catalog'}
                  width={layout.catalogWidth}
                  height={layout.topHeight}
                />
              </Box>
            ) : null}
            <Box
              borderStyle="round"
              borderColor={border(state.focus === 'editor')}
              width={layout.editorWidth + 2}
            >
              <EditorView
                editor={editor}
                completion={completion}
                focused={state.focus === 'editor'}
                width={layout.editorWidth}
                height={layout.topHeight}
              />
            </Box>
          </Box>
          <Box
            borderStyle="round"
            borderColor={border(state.focus === 'results')}
            flexDirection="column"
            height={layout.gridHeight + 2}
          >
            <Text color={theme.title} wrap="truncate">
              {result
                ? `${result.title}${result.sort ? ` · sorted by ${result.sort.column} ${result.sort.direction}` : ''}${result.hasMore ? ' · m fetches more' : ''}`
                : 'results'}
            </Text>
            <GridView
              result={result}
              grid={state.grid}
              focused={state.focus === 'results'}
              width={layout.gridWidth}
              height={layout.gridHeight - 1}
            />
          </Box>
        </>
      )}
      <StatusLine state={state} description={description} width={columns} />
      <HelpLine scope={scope} width={columns} />
    </Box>
  );
}
