/**
 * DATABASE_URL is not a PostgreSQL connection string. The message never repeats the string: it
 * may hold a password.
 */
export class DatabaseUrlError extends Error {
  constructor(problem: string) {
    super(`DATABASE_URL ${problem}; expected postgres://user:password@host:5432/database (the value is not shown: it may hold a password)`);
    this.name = 'DatabaseUrlError';
  }
}

/**
 * Checks that a connection string is a postgres:// or postgresql:// URL (hosts may be a list,
 * `host1,host2:5433`, as the driver allows), throwing a DatabaseUrlError that does not repeat it.
 */
export function checkDatabaseUrl(databaseUrl: string): void {
  if (!/^postgres(ql)?:\/\//i.test(databaseUrl.trim())) throw new DatabaseUrlError('does not start with postgres:// or postgresql://');
  // The driver reads the first of several hosts with the URL parser; so does this check.
  const afterScheme = databaseUrl.slice(databaseUrl.indexOf('://') + 3);
  const hosts = afterScheme.split(/[?/]/)[0]!;
  const hostList = hosts.slice(hosts.lastIndexOf('@') + 1);
  try {
    new URL(databaseUrl.replace(hostList, hostList.split(',')[0]!));
    decodeURIComponent(hosts);
  } catch {
    throw new DatabaseUrlError('is not a valid URL');
  }
}
