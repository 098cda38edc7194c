import { chromium, type Browser } from 'playwright-core';
import { chromiumExecutable } from './tools';

/** Headless, and nothing that reaches the network on its own: the tests run offline. */
const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's Chromium (npm test installs it when missing), found on PATH; playwright-core never downloads a browser. */
export const launchChromium = (): Promise<Browser> => chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS });
