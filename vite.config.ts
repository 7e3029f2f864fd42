import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Everything the page needs is bundled and served from its own origin: no CDN, no telemetry.
export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 2000 },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
