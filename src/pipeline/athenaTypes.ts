/**
 * DuckDB's spelling of a column type (as DESCRIBE gives it: `STRUCT("start" TIMESTAMP WITH TIME
 * ZONE, "end" …)[]`) turned into the Hive type Athena and Glue declare: `array<struct<start:
 * timestamp,end:timestamp>>`. Flat columns are mapped in sql/catalog/lake_columns.sql; this is the
 * same table for the leaves of nested ones (alerts' active_periods and informed_entities).
 */

type HiveType =
  | { kind: 'scalar'; name: string }
  | { kind: 'array'; element: HiveType }
  | { kind: 'struct'; fields: { name: string; type: HiveType }[] }
  | { kind: 'map'; key: HiveType; value: HiveType };

const scalars: Record<string, string> = {
  'TIMESTAMP WITH TIME ZONE': 'timestamp',
  TIMESTAMP: 'timestamp',
  TIMESTAMP_MS: 'timestamp',
  DOUBLE: 'double',
  FLOAT: 'float',
  BIGINT: 'bigint',
  INTEGER: 'int',
  SMALLINT: 'smallint',
  TINYINT: 'tinyint',
  BOOLEAN: 'boolean',
  VARCHAR: 'string',
  DATE: 'date',
  BLOB: 'binary',
};

/** A DuckDB type this mapping cannot declare: its text says which part. */
export class UnmappableTypeError extends Error {}

function parse(text: string): HiveType {
  let i = 0;
  const space = () => {
    while (text[i] === ' ') i++;
  };
  const expect = (c: string) => {
    space();
    if (text[i] !== c) throw new UnmappableTypeError(`expected "${c}" at ${i} in ${text}`);
    i++;
  };
  const name = (): string => {
    space();
    if (text[i] === '"') {
      let out = '';
      i++;
      while (i < text.length) {
        if (text[i] === '"' && text[i + 1] === '"') {
          out += '"';
          i += 2;
        } else if (text[i] === '"') {
          i++;
          return out;
        } else out += text[i++];
      }
      throw new UnmappableTypeError(`unterminated name in ${text}`);
    }
    const start = i;
    while (i < text.length && !/[\s,()[\]]/.test(text[i]!)) i++;
    return text.slice(start, i);
  };
  const type = (): HiveType => {
    space();
    let base: HiveType;
    if (text.startsWith('STRUCT(', i)) {
      i += 'STRUCT'.length;
      expect('(');
      const fields: { name: string; type: HiveType }[] = [];
      for (;;) {
        const field = name();
        fields.push({ name: field, type: type() });
        space();
        if (text[i] === ',') i++;
        else break;
      }
      expect(')');
      base = { kind: 'struct', fields };
    } else if (text.startsWith('MAP(', i)) {
      i += 'MAP'.length;
      expect('(');
      const key = type();
      expect(',');
      const value = type();
      expect(')');
      base = { kind: 'map', key, value };
    } else {
      const start = i;
      while (i < text.length && !/[,()[\]]/.test(text[i]!)) i++;
      let word = text.slice(start, i).trim();
      if (word === 'DECIMAL' && text[i] === '(') {
        const close = text.indexOf(')', i);
        word += text.slice(i, close + 1).replace(/\s/g, '');
        i = close + 1;
      }
      const decimal = /^DECIMAL\(\d+,\d+\)$/.test(word);
      const mapped = decimal ? word.toLowerCase() : scalars[word];
      if (mapped === undefined)
        throw new UnmappableTypeError(`DuckDB type ${word} has no Athena equivalent here`);
      base = { kind: 'scalar', name: mapped };
    }
    space();
    while (text[i] === '[') {
      const close = text.indexOf(']', i);
      if (close < 0) throw new UnmappableTypeError(`unterminated [ in ${text}`);
      i = close + 1;
      base = { kind: 'array', element: base };
      space();
    }
    return base;
  };
  const result = type();
  space();
  if (i !== text.length) throw new UnmappableTypeError(`unexpected "${text.slice(i)}" in ${text}`);
  return result;
}

function render(t: HiveType, field: (name: string) => string): string {
  switch (t.kind) {
    case 'scalar':
      return t.name;
    case 'array':
      return `array<${render(t.element, field)}>`;
    case 'map':
      return `map<${render(t.key, field)},${render(t.value, field)}>`;
    case 'struct':
      return `struct<${t.fields.map((f) => `${field(f.name)}:${render(f.type, field)}`).join(',')}>`;
  }
}

/**
 * The Hive type of a DuckDB type, in the two spellings it is needed in: `glue` for the Glue API's
 * column Type (field names bare, as Glue and Athena's reader expect), `ddl` for CREATE TABLE (field
 * names in backticks, since `end` and other field names are reserved words in Athena's DDL).
 */
export function hiveTypeOf(duckdbType: string): { glue: string; ddl: string } {
  const tree = parse(duckdbType);
  return {
    glue: render(tree, (n) => n),
    ddl: render(tree, (n) => `\`${n.replaceAll('`', '``')}\``),
  };
}
