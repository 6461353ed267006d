/**
 * Every colour the workbench uses (Ink colour names), in one place: a dark and a light theme, and
 * none at all when NO_COLOR is set (then the cursor and selections are drawn in inverse video and
 * no colour escape reaches the terminal).
 */
const dark = {
  border: 'gray',
  borderFocused: 'cyan',
  title: 'cyan',
  header: 'cyan',
  frozenSeparator: 'gray',
  nullValue: 'gray',
  selectedRow: 'blue',
  selection: 'blue',
  cursorText: 'black',
  cursorBackground: 'white',
  running: 'yellow',
  idle: 'green',
  error: 'red',
  message: 'white',
  dim: 'gray',
  key: 'cyan',
  kept: 'green',
  differs: 'yellow',
  conflicting: 'yellow',
  sqlKeyword: 'magenta',
  sqlString: 'green',
  sqlNumber: 'yellow',
  sqlComment: 'gray',
  sqlIdentifier: 'cyan',
  sqlOperator: 'white',
  statementMark: 'cyan',
  bar: 'cyan',
  axis: 'gray',
  mapPoint: 'white',
  mapBox: 'yellow',
} as const;

export type ThemeColour = keyof typeof dark;
export type Theme = Record<ThemeColour, string | undefined> & {
  /** No colours: mark cursor and selections with inverse video. */
  mono: boolean;
  /** Colours for a map's values, most frequent first. */
  palette: readonly string[];
};

const themes: Record<'dark' | 'light', Theme> = {
  dark: {
    ...dark,
    mono: false,
    palette: ['red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'redBright', 'greenBright'],
  },
  light: {
    ...dark,
    border: 'gray',
    borderFocused: 'blue',
    title: 'blue',
    header: 'blue',
    selectedRow: 'cyanBright',
    selection: 'cyanBright',
    cursorText: 'white',
    cursorBackground: 'black',
    running: 'magenta',
    idle: 'green',
    message: 'black',
    key: 'blue',
    kept: 'green',
    differs: 'magenta',
    conflicting: 'magenta',
    sqlKeyword: 'blue',
    sqlString: 'green',
    sqlNumber: 'magenta',
    sqlIdentifier: 'cyan',
    sqlOperator: 'black',
    statementMark: 'blue',
    bar: 'blue',
    mapPoint: 'black',
    mapBox: 'magenta',
    mono: false,
    palette: ['red', 'green', 'blue', 'magenta', 'cyan', 'yellow', 'black', 'gray'],
  },
};

const none: Theme = {
  ...(Object.fromEntries(Object.keys(dark).map((k) => [k, undefined])) as Record<ThemeColour, undefined>),
  mono: true,
  palette: [],
};

export type ThemeName = 'dark' | 'light' | 'none';

/** The theme in use; set once at start by setTheme. */
export let theme: Theme = themes.dark;

export function setTheme(name: ThemeName): void {
  theme = name === 'none' ? none : themes[name];
}
