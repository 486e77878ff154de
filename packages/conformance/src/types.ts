import type { Backend, DType, Storage, Tensor } from '@logit/core';

/** How close two results must be: |a - e| <= atol * scale + rtol * |e|, scale = max(1, max |e|). */
export interface Tolerance {
  rtol: number;
  atol: number;
  /**
   * Instead of rtol and atol: at most this many units in the last place of each expected value,
   * in the tested dtype, so tiny results (saturation regions, tails) are held to their own
   * precision rather than to the largest value's. The runner sets `precision` from the dtype.
   */
  ulps?: number;
  /** Significand bits of the tested dtype for `ulps`: 24 for float32, 53 for float64. */
  precision?: number;
}

/** One input of a case. Values are generated from a seed derived from the case name unless given. */
export interface InputSpec {
  shape: readonly number[];
  /** Default: the case's dtype. */
  dtype?: DType;
  /** Explicit values (row-major), or a function of the case dtype. */
  values?: readonly number[] | ((dtype: DType) => readonly number[]);
  /** Range of generated floats, default [-2, 2]; with `int`, integers in [lo, hi). */
  range?: readonly [number, number];
  int?: boolean;
  /** Whether gradients are checked for this input; default: true for float inputs of a `grad` case. */
  grad?: boolean;
}

/** What a case's `run` returns when it needs more than one output tensor: e.g. a layer's parameters. */
export interface Program {
  output: Tensor;
  /** The tensors whose .grad is checked, aligned with the case's gradient inputs. */
  wrt: Tensor[];
  /** Frees what run() made besides output (a module's parameters and buffers). */
  dispose?: () => void;
}

export interface RunContext {
  dtype: DType;
}

/** TensorFlow.js's version of a case, float32 only. `differs` documents a known, expected divergence. */
export interface TfjsOracle {
  // tfjs-core's namespace; typed loosely so core's types do not depend on tfjs
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  fn: (tf: any, xs: any[]) => any;
  /** Why TensorFlow.js is expected to differ from PyTorch here (shown in the report; never silent). */
  differs?: string;
  /** Set when tf.grad cannot be taken (a non-differentiable tfjs op); the reason is recorded. */
  noGrad?: string;
}

/** PyTorch's values for one dtype, from the goldens that tools/goldens/*.py write. */
export interface TorchValues {
  output: readonly number[];
  grads: (readonly number[] | null)[];
  /** Extra named tensors compared after the run (BatchNorm running stats). */
  source: string;
}

/** What the analytic oracle expects of a case's output, and where the numbers come from. */
export interface AnalyticValues {
  values: readonly number[];
  within: readonly number[];
  /** e.g. "U(-3, 7): mean 2, variance 100/12" */
  source: string;
  /** The statistics of the output that `values` describes (default: the output itself). */
  of?: (output: ArrayLike<number>) => number[];
}

/** One entry of the catalogue, expanded per dtype when run. */
export interface Case {
  /** Unique, e.g. "add broadcast [2,1,3]+[4,1]"; the dtype is appended when run. */
  name: string;
  /** The row of the support matrix: a Tensor op, a fused kernel or a layer/loss, e.g. "add", "nn.Linear". */
  op: string;
  /** The file of src/cases it comes from. */
  family: string;
  dtypes: readonly DType[];
  /** Other dtypes the case needs the backend to store (e.g. a cast to float64). */
  requires?: readonly DType[];
  inputs: readonly InputSpec[];
  run?: (xs: Tensor[], ctx: RunContext) => Tensor | Program;
  /**
   * For a primitive no Tensor op reaches (e.g. reduce 'prod'): call the backend's kernel directly
   * on the input storages and say what the output is. Forward only.
   */
  kernel?: (be: Backend, xs: Storage[], ctx: RunContext) => { storage: Storage; shape: readonly number[]; dtype: DType };
  /** The upstream gradient w (output-sized) where the oracle fixed it; default: seeded values. */
  upstream?: (dtype: DType, n: number) => readonly number[];
  /** Check gradients (of sum(output * w) for a seeded w) against every oracle. */
  grad?: boolean;
  /** Finite differences: false plus a reason where the function has kinks or non-finite values. */
  fd?: true | { skip: string };
  tfjs?: TfjsOracle;
  torch?: Partial<Record<DType, TorchValues>>;
  /**
   * Values known in closed form, independent of every backend (a distribution's moments, an
   * exact identity): output element i must lie within `within[i]` of `values[i]`.
   */
  analytic?: (dtype: DType) => AnalyticValues;
  /** Per-dtype tolerance overrides, with the reason in a comment at the case. */
  tol?: Partial<Record<DType, Tolerance>>;
  /** Compare zeros by sign (-0 vs 0): for ops whose sign of zero is defined (neg, mul, ceil). */
  signedZeros?: boolean;
  /** Notes shown in the report with the case, e.g. a documented PyTorch corner. */
  note?: string;
}

export type CaseStatus = 'pass' | 'fail' | 'unsupported';

export interface CaseResult {
  /** Case name with the dtype, e.g. "exp edge [float32]". */
  name: string;
  op: string;
  family: string;
  dtype: DType;
  status: CaseStatus;
  maxAbsError: number;
  maxRelError: number;
  /** The oracles the result was checked against, e.g. ["cpu-f64", "finite-diff", "tfjs"]. */
  oracles: string[];
  /** For a failure: the check that failed first; otherwise the oracle with the largest error. */
  oracle: string;
  message?: string;
  /** Documented, expected differences from an oracle, with what was observed. */
  expectedDifferences: string[];
  /** Kernels the backend ran: primitives ("unary.exp") and fused ("fused.logSoftmax"). */
  kernels: string[];
  /** True when a fused kernel ran and the composed path was compared with it. */
  fusedChecked: boolean;
  ms: number;
}

export interface ConformanceReport {
  backend: string;
  dtypes: readonly DType[];
  fused: string[];
  results: CaseResult[];
  summary: { total: number; pass: number; fail: number; unsupported: number; ms: number };
}

export type CaseFilter = string | RegExp | ((c: Case) => boolean);

export interface ConformanceOptions {
  createBackend: () => Backend | Promise<Backend>;
  /** Only cases whose name, op or family matches one of these (substring or RegExp). */
  include?: CaseFilter | readonly CaseFilter[];
  exclude?: CaseFilter | readonly CaseFilter[];
  /** Replace the default tolerance of a dtype (cases with their own overrides keep theirs). */
  tolerances?: Partial<Record<DType, Tolerance>>;
  /** Called after each case, e.g. for a progress line. */
  onResult?: (r: CaseResult) => void;
  /** Skip the TensorFlow.js oracle (it is loaded lazily; default true). */
  tfjs?: boolean;
}
