/**
 * The errors Logit throws. Every op validates its input before anything reaches a backend, so
 * each backend fails the same way, and a failed call leaves every tensor as it was.
 */
export class LogitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Shapes that do not fit together: broadcasting, matmul dimensions, reshape sizes. */
export class ShapeError extends LogitError {}
/** A dtype the op cannot take (e.g. a float target for NLLLoss, a bool matmul). */
export class DTypeError extends LogitError {}
/** A value out of its allowed set: a negative learning rate, a non-finite fill where forbidden. */
export class ValueError extends LogitError {}
/** A dim or an index out of range. */
export class IndexError extends LogitError {}
/** A backend is missing, lacks a kernel or dtype, or failed (device lost, out of memory). */
export class BackendError extends LogitError {}
