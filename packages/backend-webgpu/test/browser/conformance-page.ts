// Runs in headless Chromium: the whole @logit/conformance suite on backend-webgpu (navigator.gpu),
// bundled by esbuild. Each case's status and message are left on window.__results.
import { runConformance, type CaseResult } from '@logit/conformance';
import { createBackend } from '../../src/index.js';

type PageWindow = { __results?: Pick<CaseResult, 'name' | 'status' | 'message'>[]; __done?: boolean; __error?: string };
const w = window as unknown as PageWindow;

runConformance({ createBackend: () => createBackend() }).then(
  (report) => {
    w.__results = report.results.map((r) => ({ name: r.name, status: r.status, message: r.message }));
    w.__done = true;
  },
  (e) => (w.__error = String(e?.stack ?? e)),
);
