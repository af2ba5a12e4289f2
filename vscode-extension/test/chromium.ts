/** Headless Debian Chromium for the browser tests (playwright-core drives it, nothing is downloaded). */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BrowserContext, chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchChromium(viewport = { width: 1280, height: 900 }): Promise<{ ctx: BrowserContext; close: () => Promise<void> }> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: run scripts/setup-e2e.sh (installs Debian's chromium)`);
  }
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopwire-chromium-'));
  const ctx = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport,
  });
  return {
    ctx,
    close: async () => {
      await ctx.close().catch(() => undefined);
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export const ARTIFACTS = path.resolve(__dirname, '..', 'test-artifacts');
