/**
 * A canvas to draw a digit on, and the preprocessing MNIST used: fit the ink's bounding box into
 * 20x20 pixels (keeping its aspect ratio), then center it by its center of mass in 28x28.
 */
export class DrawPad {
  private readonly ctx: CanvasRenderingContext2D;
  private drawing = false;
  private inked = false;

  constructor(private readonly canvas: HTMLCanvasElement, private readonly onChange: (pixels: Float32Array | null) => void) {
    this.ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    this.clear();
    const at = (e: PointerEvent): [number, number] => {
      const r = canvas.getBoundingClientRect();
      return [((e.clientX - r.left) / r.width) * canvas.width, ((e.clientY - r.top) / r.height) * canvas.height];
    };
    canvas.addEventListener('pointerdown', (e) => {
      this.drawing = true;
      canvas.setPointerCapture(e.pointerId);
      const [x, y] = at(e);
      this.ctx.beginPath();
      this.ctx.moveTo(x, y);
      this.ctx.lineTo(x + 0.1, y);
      this.ctx.stroke();
    });
    canvas.addEventListener('pointermove', (e) => {
      if (!this.drawing) return;
      const [x, y] = at(e);
      this.ctx.lineTo(x, y);
      this.ctx.stroke();
      this.inked = true;
    });
    const end = (): void => {
      if (!this.drawing) return;
      this.drawing = false;
      this.inked = true;
      this.onChange(this.pixels());
    };
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointerleave', end);
  }

  clear(): void {
    const { ctx, canvas } = this;
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = canvas.width / 13;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    this.inked = false;
    this.onChange(null);
  }

  /** The drawing as 784 pixels in 0..1, preprocessed like MNIST; null when nothing is drawn. */
  pixels(): Float32Array | null {
    if (!this.inked) return null;
    const { width, height } = this.canvas;
    const src = this.ctx.getImageData(0, 0, width, height).data;
    let [x0, y0, x1, y1] = [width, height, -1, -1];
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (src[4 * (y * width + x)] > 20) [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
      }
    }
    if (x1 < 0) return null;
    const w = x1 - x0 + 1;
    const h = y1 - y0 + 1;
    const scale = 20 / Math.max(w, h);
    const small = document.createElement('canvas');
    small.width = 28;
    small.height = 28;
    const sctx = small.getContext('2d', { willReadFrequently: true })!;
    sctx.fillStyle = '#000';
    sctx.fillRect(0, 0, 28, 28);
    sctx.imageSmoothingQuality = 'high';
    sctx.drawImage(this.canvas, x0, y0, w, h, (28 - w * scale) / 2, (28 - h * scale) / 2, w * scale, h * scale);
    const px = sctx.getImageData(0, 0, 28, 28).data;
    const gray = new Float32Array(784);
    let [mass, mx, my] = [0, 0, 0];
    for (let i = 0; i < 784; i++) {
      gray[i] = px[4 * i] / 255;
      mass += gray[i];
      mx += gray[i] * (i % 28);
      my += gray[i] * Math.floor(i / 28);
    }
    const dx = Math.round(13.5 - mx / mass);
    const dy = Math.round(13.5 - my / mass);
    const out = new Float32Array(784);
    for (let y = 0; y < 28; y++) {
      for (let x = 0; x < 28; x++) {
        const sx = x - dx;
        const sy = y - dy;
        if (sx >= 0 && sx < 28 && sy >= 0 && sy < 28) out[y * 28 + x] = gray[sy * 28 + sx];
      }
    }
    return out;
  }
}
