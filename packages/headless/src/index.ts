/**
 * Headless Chromium and a software Vulkan driver for Logit's browser and WebGPU tests and tools,
 * from npm where it has them (Linux x64), else from the system. See README.md.
 */
export { launchChromium, runPage, type LaunchOptions, type PageOptions } from './launch.js';
export { chromiumRuntime, nodeVulkanEnv, MissingRuntimeError, type ChromiumRuntime } from './runtime.js';
export { planChromium, planVulkan, type ChromiumPlan, type Machine, type VulkanPlan } from './plan.js';
export type { Browser, BrowserContext, Page } from 'playwright-core';
