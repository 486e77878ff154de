/**
 * A contender is one library on one backend: a column of every benchmark table. Each benchmark
 * asks the contender for a prepared case (inputs already on the backend), times `run`, and reads
 * `result` once to check that all contenders computed the same thing.
 */
export interface Contender {
  /** Column name, `<library>-<backend>`, e.g. 'logit-cpu', 'tfjs-cpu'. */
  readonly name: string;
  /** The contender this one is compared with in a ratio column (e.g. logit-cpu against tfjs-cpu). */
  readonly compareTo?: string;
  /** Makes this contender's backend the active one; called before each of its cases. */
  activate(): Promise<void>;
  /** C = A @ B for row-major float32 N x N inputs. */
  matmul(n: number, a: Float32Array, b: Float32Array): PreparedCase;
}

export interface PreparedCase {
  /** One timed call: the whole job a user waits for, including reading the output back. */
  run(): void | Promise<void>;
  /** The output once, for the agreement check (not timed). */
  result(): Promise<Float32Array>;
  /** Frees the inputs. */
  dispose(): void;
}
