import { existsSync } from 'node:fs';

// Without a GPU, Dawn needs a Vulkan driver: SwiftShader's, from Debian's chromium-common. Point
// the Vulkan loader at it when it is installed and nothing else was chosen. When no adapter can
// be found, createBackend throws and every test fails loudly: nothing here skips.
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD)) {
  process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  process.env.NODEVICE_SELECT ??= '1';
}
