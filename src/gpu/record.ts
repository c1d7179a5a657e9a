/**
 * One description per record a kernel reads from a u32 buffer: the field names and types, in
 * order. The same description emits the WGSL that reads the fields and packs the host's values
 * into words, so a record's layout is written once (a table record of ./table.ts, or the uniform
 * params of a kernel without a table, ./entry.ts plainBindings).
 */
import { f32Bits } from '../reference/float32.ts';

/** How a field's word is read: as is (u32), or bitcast to i32 or f32 (the host packs the bits). */
export type FieldType = 'u32' | 'i32' | 'f32';
export type Fields = Readonly<Record<string, FieldType>>;
export type RecordValues<F extends Fields> = { readonly [K in keyof F]: number };

const IDENT = /^[A-Za-z][A-Za-z0-9_]*$/;

function word(record: string, name: string, type: FieldType, v: number): number {
  if (type === 'f32') {
    if (typeof v !== 'number') throw new RangeError(`${record}.${name} must be a number; got ${String(v)}`);
    return f32Bits(v);
  }
  const [lo, hi] = type === 'u32' ? [0, 0xffffffff] : [-(2 ** 31), 2 ** 31 - 1];
  if (!Number.isInteger(v) || v < lo || v > hi) throw new RangeError(`${record}.${name} must be an ${type} (an integer in [${lo}, ${hi}]); got ${String(v)}`);
  return v >>> 0;
}

/** What the WGSL side needs of a layout, whatever its fields. */
export interface AnyRecordLayout {
  readonly label: string;
  readonly first: number;
  readonly stride: number;
  reads(read: (word: string) => string, indent?: string): string;
  members(): string;
}

export class RecordLayout<F extends Fields> implements AnyRecordLayout {
  /** The field names in word order. */
  readonly names: readonly string[];
  /**
   * `first`: the word of the first field (a table record's word 0 is its first work unit, written
   * by the table builder).
   */
  constructor(
    readonly label: string,
    readonly fields: F,
    readonly first: number,
  ) {
    this.names = Object.keys(fields);
    for (const n of this.names) if (!IDENT.test(n)) throw new Error(`${label}: field name ${n} is not a WGSL identifier`);
  }

  /** Words in a record, including those before the first field. */
  get stride(): number {
    return this.first + this.names.length;
  }

  /** The fields' words in order (from `first`); a value its type cannot hold is a RangeError naming the field. */
  pack(values: RecordValues<F>): number[] {
    const v = values as Readonly<Record<string, number>>;
    return this.names.map((n) => word(this.label, n, this.fields[n]!, v[n]!));
  }

  /** WGSL: `let <field> = <read of its word>;` for every field, u32 as read, i32 and f32 bitcast. */
  reads(read: (word: string) => string, indent = '  '): string {
    return this.names
      .map((n, i) => {
        const w = read(`${this.first + i}u`);
        const t = this.fields[n]!;
        return `${indent}let ${n} = ${t === 'u32' ? w : `bitcast<${t}>(${w})`};`;
      })
      .join('\n');
  }

  /** WGSL struct members `name: type, …` (every member one 4-byte scalar, so word i is member i). */
  members(): string {
    return this.names.map((n) => `${n}: ${this.fields[n]!}`).join(', ');
  }
}

/** A table record (./table.ts): word 0 is the case's first work unit, the fields follow. */
export const tableRecord = <const F extends Fields>(label: string, fields: F): RecordLayout<F> => new RecordLayout(label, fields, 1);

/** The uniform params of a kernel without a table: the fields from word 0. */
export const uniformRecord = <const F extends Fields>(label: string, fields: F): RecordLayout<F> => new RecordLayout(label, fields, 0);

/** WGSL: a table kernel's reads of its case `k`'s record (`rec` from ./table.ts tablePrelude). */
export const tableReads = (layout: AnyRecordLayout, indent = '  '): string => layout.reads((w) => `rec(k, ${w})`, indent);
