// Vite build of the dashboard (React). Output in web/dist, served by Portal itself.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
  // The docs pages (docs/pages) and examples (examples/) live outside web/ and are bundled as text.
  server: {
    fs: { allow: ['..'] },
    proxy: { '/api': 'http://localhost:8080', '/v1': 'http://localhost:8080' },
  },
});
