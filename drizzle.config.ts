import { defineConfig } from 'drizzle-kit';

// drizzle-kit only generates SQL here (`npm run db:generate`). Migrations are applied from code
// (server/db/migrate.ts) because drizzle-kit's own PGlite driver opens PGlite without pgvector.
export default defineConfig({
  dialect: 'postgresql',
  schema: './server/db/schema.ts',
  out: './migrations',
});
