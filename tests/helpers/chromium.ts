import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium (installed by .ci/run); playwright-core drives it and never downloads a browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Flags for a sandboxed CI machine with no network: without the background-networking ones,
 * Chromium keeps trying to reach Google's hosts and its refused connections slow every start.
 */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Starts a headless Debian Chromium for page and email tests. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}
