/** Datasets and batching, like torch.utils.data. */
export { TensorDataset, Subset, type Dataset } from './dataset.js';
export { DataLoader, type DataLoaderOptions } from './dataloader.js';
export { randomSplit } from './random-split.js';
export { collate, type Collated } from './collate.js';
