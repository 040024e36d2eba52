/** Where Docent's SQL migrations are: the repository's `migrations/` (written by drizzle-kit). */
import { fileURLToPath } from 'node:url';

/** The repository's `migrations/` folder, absolute. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));
