import type { Backend } from './types.js';

const labels = new WeakMap<Backend, string>();
const instances = new Map<string, number>();

/**
 * A backend's name and instance number, 'cpu#1', 'cpu#2', numbered per name in the order core
 * first meets each instance (setBackend, or the first tensor stored on it): error messages then
 * tell two backends of one kind apart.
 */
export function backendLabel(be: Backend): string {
  let label = labels.get(be);
  if (!label) {
    const n = (instances.get(be.name) ?? 0) + 1;
    instances.set(be.name, n);
    label = `${be.name}#${n}`;
    labels.set(be, label);
  }
  return label;
}
