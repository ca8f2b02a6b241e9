import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium (never a downloaded browser), headless, with no network traffic of its own beyond this machine. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-component-update'] });
}
