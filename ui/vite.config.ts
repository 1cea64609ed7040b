// Vite configuration for the CCEAA Registry UI. Tauri serves ui/dist in the app and the dev
// server on port 1420 during `tauri dev`.
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  plugins: [svelte()],
  clearScreen: false,
  server: {
    port: 1420,
    strictPort: true,
  },
  build: {
    outDir: 'dist',
    target: 'es2021',
  },
});
