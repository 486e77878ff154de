import { setBackend } from '@logit/core';
import { createBackend } from '../src/index.js';

setBackend(await createBackend());
