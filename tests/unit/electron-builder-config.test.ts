/**
 * electron-builder.yml, read and validated by electron-builder's own loader and schema (so a misspelt
 * option is an error, not silently ignored): the packaged binary's fuses are flipped to what the
 * counter needs, and nothing else.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

import type { Configuration } from 'electron-builder';
import { describe, expect, it } from 'vitest';

type ConfigModule = {
  getConfig(projectDir: string, configPath: string | null, fromOptions: null): Promise<Configuration>;
  validateConfiguration(config: Configuration, logger: unknown): Promise<void>;
};

// electron-builder's loader lives in its app-builder-lib; resolve it from electron-builder itself.
const fromBuilder = createRequire(createRequire(import.meta.url).resolve('electron-builder'));
const { getConfig, validateConfiguration } = fromBuilder(
  'app-builder-lib/out/util/config/config.js',
) as ConfigModule;
const { DebugLogger } = fromBuilder('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

const root = path.resolve('.');
const load = () => getConfig(root, path.join(root, 'electron-builder.yml'), null);

describe('electron-builder.yml', () => {
  it('passes electron-builder’s schema', async () => {
    await expect(validateConfiguration(await load(), new DebugLogger(false))).resolves.toBeUndefined();
    // Loading electron-builder and its JSON schema takes seconds on a busy two-core machine.
  }, 60_000);

  it('flips the fuses: no run-as-node, NODE_OPTIONS or --inspect; the app only from a checked asar', async () => {
    expect((await load()).electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('would refuse a misspelt fuse (the schema check above means something)', async () => {
    const config = await load();
    const fuses = { ...config.electronFuses, runAsNodeTypo: false };
    await expect(
      validateConfiguration({ ...config, electronFuses: fuses }, new DebugLogger(false)),
    ).rejects.toThrow(/Invalid configuration/);
  });
});
