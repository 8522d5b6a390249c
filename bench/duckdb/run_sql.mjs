// Runs SQL statements in an in-memory DuckDB on one thread and reports how long they took.
// Usage: node run_sql.mjs FILE.sql [NAME=VALUE ...]   (each ${NAME} in the file is replaced by VALUE)
// Statements are separated by ';' at the end of a line. Prints one JSON line: {"seconds": S, "statements": N}.
// The caller times the whole process as well; this number excludes node and library start-up.
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const [file, ...assignments] = process.argv.slice(2);
if (!file) {
  console.error('usage: node run_sql.mjs FILE.sql [NAME=VALUE ...]');
  process.exit(2);
}
let text = readFileSync(file, 'utf8');
for (const assignment of assignments) {
  const eq = assignment.indexOf('=');
  text = text.replaceAll('${' + assignment.slice(0, eq) + '}', assignment.slice(eq + 1));
}
const statements = text
  .split(/;\s*$/m)
  .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
  .filter((s) => s.length > 0);

const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
const connection = await instance.connect();
await connection.run('SET threads = 1');
const started = performance.now();
for (const statement of statements) {
  await connection.run(statement);
}
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ seconds, statements: statements.length }));
