import { setBackend } from '@logit/core';
import { createBackend } from '@logit/backend-cpu';

setBackend(await createBackend());
