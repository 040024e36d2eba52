/** What a row id (a Postgres `uuid`, as text) looks like: anything else is no row's id. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` is written as a UUID (any version, either case). */
export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}
