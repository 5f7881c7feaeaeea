import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// Component and logic tests of the app, in a simulated DOM; the real browser runs in server/test/e2e.
export default defineConfig({
  plugins: [react()],
  test: { environment: 'happy-dom', include: ['src/**/*.test.{ts,tsx}'] },
});
