import { defineConfig } from 'vite';

// Built by the .NET build (Monitoring.Dashboard.csproj) into dist/, which is embedded into the Dashboard assembly
// and served at / by WebUi/DashboardWeb.cs. `npm run dev` proxies the API to a running `monitoring run`.
export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
    reportCompressedSize: false,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:5000', '/ui': 'http://127.0.0.1:5000' } },
  test: { environment: 'node' },
} as never);
