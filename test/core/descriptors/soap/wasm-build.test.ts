/**
 * Source and binary of the wasm SOAP kernel cannot drift: the committed
 * src/core/descriptors/soap/wasm/kernel-wasm.ts must be byte-identical to what scripts/build-wasm.mjs
 * produces from the committed AssemblyScript source (asc output is deterministic).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SOAP_KERNEL_WASM_BASE64 } from '../../../../src/core/descriptors/soap/wasm/kernel-wasm.ts';

const ROOT = resolve(import.meta.dirname, '../../../..');

describe('wasm kernel build', () => {
  it('kernel-wasm.ts is exactly the output of scripts/build-wasm.mjs on the committed source', () => {
    const built = execFileSync(process.execPath, [resolve(ROOT, 'scripts/build-wasm.mjs'), '--stdout'], { cwd: ROOT, encoding: 'utf8' });
    const committed = readFileSync(resolve(ROOT, 'src/core/descriptors/soap/wasm/kernel-wasm.ts'), 'utf8');
    expect(built.length).toBeGreaterThan(1000);
    expect(built === committed, 'kernel-wasm.ts is stale: run npm run build:wasm').toBe(true);
  }, 60_000);

  it('the embedded bytes are a WebAssembly module that exports the kernel entry points', () => {
    const bytes = Uint8Array.from(atob(SOAP_KERNEL_WASM_BASE64), (ch) => ch.charCodeAt(0));
    expect(Array.from(bytes.subarray(0, 4))).toEqual([0x00, 0x61, 0x73, 0x6d]);
    const mod = new WebAssembly.Module(bytes);
    expect(WebAssembly.Module.exports(mod).map((e) => e.name).sort()).toEqual(['heapBase', 'memory', 'rows', 'scratch', 'setup']);
    expect(WebAssembly.Module.imports(mod)).toEqual([]);
  });
});
