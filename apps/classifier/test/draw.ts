import type { Page } from '@logit/headless';

/** Strokes a 7 on the drawing pad with the mouse. */
export async function drawSeven(page: Page): Promise<void> {
  await page.locator('#pad').scrollIntoViewIfNeeded();
  const box = (await page.locator('#pad').boundingBox())!;
  const at = (fx: number, fy: number): [number, number] => [box.x + fx * box.width, box.y + fy * box.height];
  await page.mouse.move(...at(0.25, 0.22));
  await page.mouse.down();
  for (const [fx, fy] of [[0.5, 0.22], [0.75, 0.22], [0.62, 0.5], [0.5, 0.8]]) await page.mouse.move(...at(fx, fy), { steps: 8 });
  await page.mouse.up();
}
