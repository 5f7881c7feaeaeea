import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// In development the API runs on :4000 (pnpm start); the app is served by the server itself in production.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', sourcemap: true },
  server: {
    proxy: {
      '/graphql': { target: 'http://127.0.0.1:4000', ws: true },
      '/documents': 'http://127.0.0.1:4000',
      '/me': 'http://127.0.0.1:4000',
    },
  },
});
