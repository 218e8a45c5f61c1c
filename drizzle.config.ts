// drizzle-kit: `npm run db:generate` writes plain SQL migrations from the schema (Supabase-compatible).
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/platform/store/schema.ts',
  out: './migrations',
});
