import type { Backend, DType, Storage, Tensor } from '@logit/core';

/** How close two results must be: |a - e| <= atol * scale + rtol * |e|, scale = max(1, max |e|). */
export interface Tolerance {
  /** Relative tolerance: allowed error per unit of the expected value's magnitude. */
  rtol: number;
  /** Absolute tolerance, scaled by max(1, max |expected|). */
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
  /** The input's shape. */
  shape: readonly number[];
  /** Default: the case's dtype. */
  dtype?: DType;
  /** Explicit values (row-major), or a function of the case dtype. */
  values?: readonly number[] | ((dtype: DType) => readonly number[]);
  /** Range of generated floats, default [-2, 2]; with `int`, integers in [lo, hi). */
  range?: readonly [number, number];
  /** Generate integers in [lo, hi) of `range` (for indices and int32 inputs). */
  int?: boolean;
  /** Whether gradients are checked for this input; default: true for float inputs of a `grad` case. */
  grad?: boolean;
}

/** What a case's `run` returns when it needs more than one output tensor: e.g. a layer's parameters. */
export interface Program {
  /** The tensor compared with the oracles. */
  output: Tensor;
  /** The tensors whose .grad is checked, aligned with the case's gradient inputs. */
  wrt: Tensor[];
  /** Frees what run() made besides output (a module's parameters and buffers). */
  dispose?: () => void;
}

/** What a case's `run` or `kernel` learns about the run: the dtype it runs at. */
export interface RunContext {
  /** The dtype of this run of the case. */
  dtype: DType;
}

/** TensorFlow.js's version of a case, float32 only. `differs` documents a known, expected divergence. */
export interface TfjsOracle {
  // tfjs-core's namespace; typed loosely so core's types do not depend on tfjs
  /** The case written with tfjs ops: `tf` is tfjs-core, `xs` the inputs as tf tensors. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  fn: (tf: any, xs: any[]) => any;
  /** Why TensorFlow.js is expected to differ from PyTorch here (shown in the report; never silent). */
  differs?: string;
  /** Set when tf.grad cannot be taken (a non-differentiable tfjs op); the reason is recorded. */
  noGrad?: string;
}

/** PyTorch's values for one dtype, from the goldens that tools/goldens/*.py write. */
export interface TorchValues {
  /** The output, row-major. */
  output: readonly number[];
  /** The gradient of each input (null where the input takes none). */
  grads: (readonly number[] | null)[];
  /** Extra named tensors compared after the run (BatchNorm running stats). */
  source: string;
}

/** What the analytic oracle expects of a case's output, and where the numbers come from. */
export interface AnalyticValues {
  /** The expected numbers: one per output element, or per statistic when `of` is given. */
  values: readonly number[];
  /** How far each number may lie from its value (absolute), the same length as `values`. */
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
  /** The dtypes the case runs at; a backend that does not store one reports it unsupported. */
  dtypes: readonly DType[];
  /** Other dtypes the case needs the backend to store (e.g. a cast to float64). */
  requires?: readonly DType[];
  /** The inputs, generated from a seed derived from the name unless given. */
  inputs: readonly InputSpec[];
  /** The computation, with Logit's public API on the inputs: a tensor, or a {@link Program}. */
  run?: (xs: Tensor[], ctx: RunContext) => Tensor | Program;
  /**
   * For a primitive no Tensor op reaches (e.g. reduce 'prod'): call the backend's kernel directly
   * on the input storages and say what the output is. Forward only.
   */
  kernel?: (be: Backend, xs: Storage[], ctx: RunContext) => {
    /** The output storage the kernel returned. */
    storage: Storage;
    /** Its shape. */
    shape: readonly number[];
    /** Its dtype. */
    dtype: DType;
  };
  /** The upstream gradient w (output-sized) where the oracle fixed it; default: seeded values. */
  upstream?: (dtype: DType, n: number) => readonly number[];
  /** Check gradients (of sum(output * w) for a seeded w) against every oracle. */
  grad?: boolean;
  /** Finite differences: false plus a reason where the function has kinks or non-finite values. */
  fd?: true | {
    /** Why finite differences cannot check this case. */
    skip: string;
  };
  /** TensorFlow.js's version, when it has one. */
  tfjs?: TfjsOracle;
  /** PyTorch's values per dtype, from the goldens. */
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
  /**
   * An error case: `run` must throw (at the call, or, on an asynchronous device, at the read of
   * its output) the error backend-cpu throws at once, by class name and message, leaving the
   * inputs unchanged, nothing leaked and the backend working (see run-error-case.ts).
   */
  throws?: ExpectedError;
}

/** What an error case expects backend-cpu (and so every backend) to throw. */
export interface ExpectedError {
  /** The class name: one of core's errors. */
  error: 'ShapeError' | 'DTypeError' | 'ValueError' | 'IndexError' | 'BackendError';
  /**
   * The message backend-cpu throws, exactly (every backend must throw the same), or a pattern it
   * matches where it names something that varies (a tensor id, the host's allocation error).
   */
  message: string | RegExp;
  /** Only the class must agree, not the message (a backend names its own limits: BackendError). */
  classOnly?: boolean;
}

/** 'unsupported': the backend does not store a dtype the case needs (derived from `backend.dtypes`). */
export type CaseStatus = 'pass' | 'fail' | 'unsupported';

/** The outcome of one case at one dtype. */
export interface CaseResult {
  /** Case name with the dtype, e.g. "exp edge [float32]". */
  name: string;
  /** The case's row of the support matrix (see {@link Case}). */
  op: string;
  /** The case's file in src/cases. */
  family: string;
  /** The dtype of this run. */
  dtype: DType;
  /** Passed, failed, or not run because the backend lacks a dtype. */
  status: CaseStatus;
  /** The largest absolute error against any oracle. */
  maxAbsError: number;
  /** The largest relative error against any oracle. */
  maxRelError: number;
  /** The oracles the result was checked against, e.g. ["cpu-f64", "finite-diff", "tfjs"]. */
  oracles: string[];
  /** For a failure: the check that failed first; otherwise the oracle with the largest error. */
  oracle: string;
  /** What failed (the first element out of tolerance), or why the case is unsupported. */
  message?: string;
  /** Documented, expected differences from an oracle, with what was observed. */
  expectedDifferences: string[];
  /** Kernels the backend ran: primitives ("unary.exp") and fused ("fused.logSoftmax"). */
  kernels: string[];
  /** True when a fused kernel ran and the composed path was compared with it. */
  fusedChecked: boolean;
  /** Milliseconds the case took. */
  ms: number;
}

/** What `runConformance` returns: every case's result and the totals. */
export interface ConformanceReport {
  /** The backend's name. */
  backend: string;
  /** The dtypes it stores. */
  dtypes: readonly DType[];
  /** The fused kernels it has. */
  fused: string[];
  /** One result per case and dtype. */
  results: CaseResult[];
  /** Totals. */
  summary: {
    /** Results in all. */
    total: number;
    /** Passed. */
    pass: number;
    /** Failed. */
    fail: number;
    /** Not run: a dtype the backend does not store. */
    unsupported: number;
    /** Milliseconds for the whole run. */
    ms: number;
  };
}

/** Selects cases: a substring or RegExp of the name, op or family, or a predicate. */
export type CaseFilter = string | RegExp | ((c: Case) => boolean);

/** Options of `runConformance`. */
export interface ConformanceOptions {
  /** Makes the backend under test (called once). */
  createBackend: () => Backend | Promise<Backend>;
  /** Only cases whose name, op or family matches one of these (substring or RegExp). */
  include?: CaseFilter | readonly CaseFilter[];
  /** Leave out cases whose name, op or family matches one of these. */
  exclude?: CaseFilter | readonly CaseFilter[];
  /** Replace the default tolerance of a dtype (cases with their own overrides keep theirs). */
  tolerances?: Partial<Record<DType, Tolerance>>;
  /** Called after each case, e.g. for a progress line. */
  onResult?: (r: CaseResult) => void;
  /** Skip the TensorFlow.js oracle (it is loaded lazily; default true). */
  tfjs?: boolean;
}
