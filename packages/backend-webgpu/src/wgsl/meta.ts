/** Builds the u32 words of a dispatch's `meta` array: sizes, shapes, strides and scalar parameters. */
export class Meta {
  readonly words: number[] = [];
  private static readonly f32 = new Float32Array(1);
  private static readonly u32 = new Uint32Array(Meta.f32.buffer);

  u(...v: number[]): this {
    for (const x of v) this.words.push(x >>> 0);
    return this;
  }
  /** int32 values (negative ones as their two's complement bits). */
  i(...v: number[]): this {
    for (const x of v) this.words.push(x | 0);
    return this;
  }
  /** float32 values, by their bits (a double is rounded to float32 first). */
  f(...v: number[]): this {
    for (const x of v) {
      Meta.f32[0] = x;
      this.words.push(Meta.u32[0]);
    }
    return this;
  }
  get length(): number {
    return this.words.length;
  }
}
