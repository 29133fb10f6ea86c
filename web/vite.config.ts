// Builds the SPA into web/dist, which `accompany serve` serves as static files.
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 400 },
  server: { proxy: { "/api": "http://localhost:8080", "/healthz": "http://localhost:8080" } },
});
