/**
 * The web console's build: a static single-page app (React) in web/dist, served by the local
 * gateway at /console/ and by CloudFront from a private bucket in the cloud. `base: './'` and
 * hash routes make the same files work under any path, with no server rewrites.
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 700,
  },
});
