/**
 * A test-only evaluator of the small WGSL expression language the probe uses (f32 `a`, `b`, `c`;
 * + − × ÷, unary − and !, comparisons, `&` on u32, select/max/min/clamp/abs/sqrt/inverseSqrt/fma,
 * `bitcast<u32>`; decimal and hex-float literals, u32 literals), with switches for what relaxed
 * math may do. Written from the WGSL spec's semantics, independently of the probe's own
 * expectations, so a simulated backend built on it checks them.
 */
import { f32Bits, fma32 } from '../../src/reference/float32.ts';

export interface RelaxedMode {
  /** +/− chains and × chains evaluated right-associated: (x + y) − z as x + (y − z). */
  readonly reassociate?: boolean;
  /** x / y as x × (1 / y), each rounded. */
  readonly reciprocal?: boolean;
  /**
   * A compiler that assumes there are no NaNs: every NaN an operation computes becomes +0, and
   * comparisons, max and min read a NaN operand as +0. Loaded values and their bit patterns stay.
   */
  readonly nanToZero?: boolean;
  /** Every −0 result becomes +0 (a compiler that ignores zero signs). */
  readonly negZeroToPosZero?: boolean;
  /** x × y ± z as one fused operation. */
  readonly contract?: boolean;
  /** Visible identities folded (0 + x → x, 0 − x → −x, x × 0 → 0, x − x → 0, x != x → false, (x + y) − y → x, x × 1 → x). */
  readonly foldIdentities?: boolean;
  /** `!=` on floats as an ordered not-equal (false for NaN), as Tint's SPIR-V writer emits it. */
  readonly orderedNotEqual?: boolean;
}

type Node =
  | { readonly k: 'f'; readonly v: number }
  | { readonly k: 'u'; readonly v: number }
  | { readonly k: 'var'; readonly name: 'a' | 'b' | 'c' }
  | { readonly k: 'un'; readonly op: '-' | '!'; readonly x: Node }
  | { readonly k: 'bin'; readonly op: string; readonly l: Node; readonly r: Node }
  | { readonly k: 'call'; readonly f: string; readonly args: readonly Node[] };

type Value = { t: 'f'; v: number } | { t: 'u'; v: number } | { t: 'b'; v: boolean };

const TOKEN = /\s*(0x[0-9a-f]*\.[0-9a-f]*p[+-]?\d+f?|0x[0-9a-f]+u|\d+\.\d*(?:e[+-]?\d+)?f?|\d+u|bitcast<u32>|[a-zA-Z_]\w*|!=|==|<=|>=|&&|\|\||[-+*/()<>!&,])/y;

function tokenize(src: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < src.trimEnd().length) {
    const m = TOKEN.exec(src);
    if (m === null) throw new Error(`wgslExpr: cannot read ${JSON.stringify(src.slice(TOKEN.lastIndex))}`);
    out.push(m[1]!);
  }
  return out;
}

function literal(t: string): Node | null {
  let m = /^0x([0-9a-f]*)\.([0-9a-f]*)p([+-]?\d+)f?$/.exec(t);
  if (m !== null) return { k: 'f', v: Math.fround(parseInt(`${m[1]}${m[2]}` || '0', 16) * 2 ** (Number(m[3]) - 4 * m[2]!.length)) };
  m = /^(0x[0-9a-f]+|\d+)u$/.exec(t);
  if (m !== null) return { k: 'u', v: Number(m[1]) >>> 0 };
  if (/^\d/.test(t)) return { k: 'f', v: Math.fround(parseFloat(t)) };
  return null;
}

/** Recursive descent, lowest precedence first: & | comparisons | + − | × ÷ | unary | primary. */
function parse(src: string): Node {
  const toks = tokenize(src);
  let i = 0;
  const peek = () => toks[i];
  const take = (want?: string) => {
    const t = toks[i++];
    if (t === undefined || (want !== undefined && t !== want)) throw new Error(`wgslExpr: expected ${want ?? 'a token'} in ${src}`);
    return t;
  };
  const level = (ops: readonly string[], next: () => Node) => (): Node => {
    let l = next();
    while (ops.includes(peek() ?? '')) l = { k: 'bin', op: take(), l, r: next() };
    return l;
  };
  const primary = (): Node => {
    const t = take();
    if (t === '(') {
      const e = bitand();
      take(')');
      return e;
    }
    const lit = literal(t);
    if (lit !== null) return lit;
    if (t === 'a' || t === 'b' || t === 'c') return { k: 'var', name: t };
    take('(');
    const args: Node[] = [];
    while (peek() !== ')') {
      args.push(bitand());
      if (peek() === ',') take(',');
    }
    take(')');
    return { k: 'call', f: t, args };
  };
  const unary = (): Node => (peek() === '-' || peek() === '!' ? { k: 'un', op: take() as '-' | '!', x: unary() } : primary());
  const mul = level(['*', '/'], unary);
  const add = level(['+', '-'], mul);
  const cmp = level(['<', '<=', '>', '>=', '==', '!='], add);
  const bitand = level(['&'], cmp);
  const e = bitand();
  if (i !== toks.length) throw new Error(`wgslExpr: trailing ${toks.slice(i).join(' ')} in ${src}`);
  return e;
}

const same = (x: Node, y: Node): boolean => JSON.stringify(x) === JSON.stringify(y);
const isF = (n: Node, v: number) => n.k === 'f' && Object.is(n.v, v);
const ZERO: Node = { k: 'f', v: 0 };

/** Folds visible identities the way an optimiser that ignores NaN, Inf and zero signs may. */
function fold(n: Node): Node {
  if (n.k === 'un') {
    const x = fold(n.x);
    if (n.op === '!' && x.k === 'bin' && x.op === '==' && same(x.l, x.r)) return { k: 'call', f: 'false', args: [] };
    return { ...n, x };
  }
  if (n.k === 'call') return { ...n, args: n.args.map(fold) };
  if (n.k !== 'bin') return n;
  const l = fold(n.l);
  const r = fold(n.r);
  if (n.op === '+' && isF(l, 0)) return r;
  if ((n.op === '+' || n.op === '-') && isF(r, 0)) return l;
  if (n.op === '-' && isF(l, 0)) return { k: 'un', op: '-', x: r };
  if (n.op === '*' && (isF(l, 0) || isF(r, 0))) return ZERO;
  if (n.op === '*' && isF(r, 1)) return l;
  if (n.op === '-' && same(l, r)) return ZERO;
  if (n.op === '-' && l.k === 'bin' && l.op === '+' && same(l.r, r)) return l.l;
  if (n.op === '!=' && same(l, r)) return { k: 'call', f: 'false', args: [] };
  return { ...n, l, r };
}

const FLIP: Record<string, string> = { '+': '-', '-': '+' };

/** Right-associates + − chains and × chains: (x op y) op' z → x op (y op'' z). */
function reassociate(n: Node): Node {
  if (n.k === 'un') return { ...n, x: reassociate(n.x) };
  if (n.k === 'call') return { ...n, args: n.args.map(reassociate) };
  if (n.k !== 'bin') return n;
  const l = reassociate(n.l);
  const r = reassociate(n.r);
  const additive = (op: string) => op === '+' || op === '-';
  if (additive(n.op) && l.k === 'bin' && additive(l.op)) {
    return { k: 'bin', op: l.op, l: l.l, r: reassociate({ k: 'bin', op: l.op === '+' ? n.op : FLIP[n.op]!, l: l.r, r }) };
  }
  if (n.op === '*' && l.k === 'bin' && l.op === '*') return { k: 'bin', op: '*', l: l.l, r: reassociate({ k: 'bin', op: '*', l: l.r, r }) };
  return { ...n, l, r };
}

export class WgslExpr {
  private readonly root: Node;
  constructor(src: string, private readonly mode: RelaxedMode = {}) {
    let root = parse(src);
    if (mode.foldIdentities) root = fold(root);
    if (mode.reassociate) root = reassociate(root);
    this.root = root;
  }

  /** The f32 result of the expression for one (a, b, c). */
  eval(a: number, b: number, c: number): number {
    const v = this.value(this.root, { a, b, c });
    if (v.t !== 'f') throw new Error('wgslExpr: the expression is not f32');
    return v.v;
  }

  /** What a result becomes under the mode (every float operation goes through here). */
  private fix(x: number): number {
    const v = Math.fround(x);
    if (this.mode.nanToZero && Number.isNaN(v)) return 0;
    if (this.mode.negZeroToPosZero && Object.is(v, -0)) return 0;
    return v;
  }

  /** A float as a comparison, max or min sees it. */
  private decided(x: number): number {
    return this.mode.nanToZero && Number.isNaN(x) ? 0 : x;
  }

  private value(n: Node, env: { a: number; b: number; c: number }): Value {
    const f = (x: number): Value => ({ t: 'f', v: this.fix(x) });
    const num = (m: Node) => {
      const v = this.value(m, env);
      if (v.t !== 'f') throw new Error('wgslExpr: f32 operand expected');
      return v.v;
    };
    switch (n.k) {
      case 'f':
        return { t: 'f', v: n.v };
      case 'u':
        return { t: 'u', v: n.v };
      case 'var':
        return { t: 'f', v: env[n.name] };
      case 'un': {
        if (n.op === '-') return f(-num(n.x));
        const x = this.value(n.x, env);
        if (x.t !== 'b') throw new Error('wgslExpr: ! needs a bool');
        return { t: 'b', v: !x.v };
      }
      case 'call':
        return this.call(n.f, n.args, env);
      case 'bin':
        return this.binary(n, env, f, num);
    }
  }

  private binary(n: Extract<Node, { k: 'bin' }>, env: { a: number; b: number; c: number }, f: (x: number) => Value, num: (m: Node) => number): Value {
    if (n.op === '&') {
      const l = this.value(n.l, env);
      const r = this.value(n.r, env);
      if (l.t !== 'u' || r.t !== 'u') throw new Error('wgslExpr: & on u32 only');
      return { t: 'u', v: (l.v & r.v) >>> 0 };
    }
    if (['<', '<=', '>', '>=', '==', '!='].includes(n.op)) {
      const l = this.value(n.l, env);
      const r = this.value(n.r, env);
      const x = l.t === 'f' ? this.decided(l.v) : (l.v as number);
      const y = r.t === 'f' ? this.decided(r.v) : (r.v as number);
      const ne = l.t === 'f' && this.mode.orderedNotEqual ? x < y || x > y : x !== y;
      const out = { '<': x < y, '<=': x <= y, '>': x > y, '>=': x >= y, '==': x === y, '!=': ne }[n.op]!;
      return { t: 'b', v: out };
    }
    if (this.mode.contract && (n.op === '+' || n.op === '-')) {
      const mulL = n.l.k === 'bin' && n.l.op === '*' ? n.l : null;
      const mulR = n.r.k === 'bin' && n.r.op === '*' ? n.r : null;
      if (mulL !== null) return f(fma32(num(mulL.l), num(mulL.r), n.op === '+' ? num(n.r) : -num(n.r)));
      if (mulR !== null) return f(fma32(n.op === '+' ? num(mulR.l) : -num(mulR.l), num(mulR.r), num(n.l)));
    }
    const x = num(n.l);
    const y = num(n.r);
    switch (n.op) {
      case '+':
        return f(x + y);
      case '-':
        return f(x - y);
      case '*':
        return f(x * y);
      case '/':
        return this.mode.reciprocal ? f(x * this.fix(1 / y)) : f(x / y);
      default:
        throw new Error(`wgslExpr: operator ${n.op}`);
    }
  }

  private call(name: string, args: readonly Node[], env: { a: number; b: number; c: number }): Value {
    const vs = args.map((x) => this.value(x, env));
    const n = (i: number) => {
      const v = vs[i];
      if (v?.t !== 'f') throw new Error(`wgslExpr: ${name} wants f32 arguments`);
      return v.v;
    };
    // WGSL max/min: "If one operand is a NaN, the other is returned."
    const pick = (p: number, q: number, larger: boolean) => {
      const x = this.decided(p);
      const y = this.decided(q);
      return Number.isNaN(x) ? y : Number.isNaN(y) ? x : larger ? Math.max(x, y) : Math.min(x, y);
    };
    switch (name) {
      case 'false':
        return { t: 'b', v: false };
      case 'select': {
        const cond = vs[2];
        if (cond?.t !== 'b') throw new Error('wgslExpr: select needs a bool condition');
        return cond.v ? vs[1]! : vs[0]!;
      }
      case 'max':
        return { t: 'f', v: this.fix(pick(n(0), n(1), true)) };
      case 'min':
        return { t: 'f', v: this.fix(pick(n(0), n(1), false)) };
      case 'clamp':
        return { t: 'f', v: this.fix(pick(pick(n(0), n(1), true), n(2), false)) };
      case 'abs':
        return { t: 'f', v: this.fix(Math.abs(n(0))) };
      case 'sqrt':
        return { t: 'f', v: this.fix(Math.sqrt(n(0))) };
      case 'inverseSqrt':
        return { t: 'f', v: this.fix(1 / Math.sqrt(n(0))) };
      case 'fma':
        return { t: 'f', v: this.fix(fma32(n(0), n(1), n(2))) };
      case 'bitcast<u32>':
        return { t: 'u', v: f32Bits(n(0)) };
      default:
        throw new Error(`wgslExpr: unknown function ${name}`);
    }
  }
}
