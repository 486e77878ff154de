/** Saving and loading state dicts in the safetensors format, readable by PyTorch. */
export { save, type SaveOptions } from './save.js';
export { load, loadMetadata, type LoadOptions } from './load.js';
export { saveFile, loadFile } from './files.js';
export { MAX_HEADER_BYTES } from './header.js';
