import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load.ts';

const fixtures = join(import.meta.dirname, 'fixtures');

describe('serve.trustProxy', () => {
  it('refuses an address or range proxy-addr cannot read, naming the key and its line', () => {
    try {
      loadConfig('trust-proxy-bad-range.json', fixtures);
      throw new Error('loaded without an error');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const [diagnostic] = (error as ConfigError).diagnostics;
      expect(diagnostic?.line).toBe(3);
      expect(diagnostic?.message).toContain('serve.trustProxy');
      expect(diagnostic?.message).toContain('10.0.0.0/33');
    }
  });

  it('trusts no one by default', () => {
    expect(loadConfig(null, fixtures).config.serve.trustProxy).toBe(false);
  });
});
