import { ValueError } from '../errors.js';

// PyTorch registers a submodule only when it is assigned to an attribute directly; one kept in a
// list or a dict is silently ignored, and its parameters never reach parameters(), stateDict()
// or the optimizer. Logit refuses that mistake where it is made: the Module base returns its
// instance wrapped in a Proxy whose defineProperty trap (class fields and plain assignments
// both land there) checks every value stored in a field. A container filled after it was
// assigned (`this.layers = []; this.layers.push(...)`) is caught by the same check when the
// module's children are first listed, which parameters(), stateDict() and train() all do, so the
// mistake can never reach an optimizer.

/** Where a Module sits inside a plain container, as an access path (`[2]`, `.encoder[0]`), or null. */
export function findNestedModule(value: unknown, isModule: (x: unknown) => boolean, depth = 0, seen = new Set<object>()): string | null {
  if (depth > 4 || value === null || typeof value !== 'object' || seen.has(value)) return null;
  seen.add(value);
  const entries: Iterable<[string, unknown]> | null = Array.isArray(value)
    ? value.map((v, i): [string, unknown] => [`[${i}]`, v])
    : value instanceof Map
      ? [...value].map(([k, v]): [string, unknown] => [`.get(${JSON.stringify(k)})`, v])
      : value instanceof Set
        ? [...value].map((v, i): [string, unknown] => [`{${i}}`, v])
        : isPlainObject(value)
          ? Object.entries(value).map(([k, v]): [string, unknown] => [`.${k}`, v])
          : null;
  if (!entries) return null;
  for (const [path, v] of entries) {
    if (isModule(v)) return path;
    const inner = findNestedModule(v, isModule, depth + 1, seen);
    if (inner !== null) return path + inner;
  }
  return null;
}

function isPlainObject(x: object): boolean {
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** Throws when `value`, about to be stored in field `key` of `owner`, hides a Module in a plain container. */
export function checkFieldValue(ownerName: string, key: string | symbol, value: unknown, isModule: (x: unknown) => boolean): void {
  if (value === null || typeof value !== 'object' || isModule(value)) return;
  const path = findNestedModule(value, isModule);
  if (path === null) return;
  const kind = Array.isArray(value) || value instanceof Set ? 'an array' : value instanceof Map ? 'a Map' : 'a plain object';
  const fix = Array.isArray(value) || value instanceof Set ? 'nn.ModuleList' : 'nn.ModuleDict';
  const field = String(key);
  throw new ValueError(
    `${ownerName}: field '${field}' holds a Module inside ${kind} (at ${field}${path}); Logit does not register modules ` +
      `in plain containers, so its parameters would never reach parameters(), stateDict() or an optimizer. ` +
      `Use ${fix} (nn.ModuleList for a list of modules, nn.ModuleDict for modules by name)`,
  );
}

/** A Proxy handler that checks each field as it is defined or assigned. */
export function registrationHandler<T extends object>(isModule: (x: unknown) => boolean): ProxyHandler<T> {
  return {
    defineProperty(target, key, desc) {
      if ('value' in desc) checkFieldValue(target.constructor.name, key, desc.value, isModule);
      return Reflect.defineProperty(target, key, desc);
    },
  };
}
