import { chromium, type Browser, type Page, type Request } from 'playwright-core';

/** The system Chromium, started the way this machine's closed network needs (no background calls). */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--use-gl=angle', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
  });
}

/** Records every request the page makes whose origin is not `base`'s (the no-upload guarantee). */
export function watchForeignRequests(page: Page, base: string): string[] {
  const origin = new URL(base).origin;
  const foreign: string[] = [];
  page.on('request', (r: Request) => {
    const u = r.url();
    if (u.startsWith('data:') || u.startsWith('blob:')) return;
    if (new URL(u).origin !== origin) foreign.push(u);
  });
  return foreign;
}
