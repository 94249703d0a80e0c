// Runs graphql-http's server audits (GraphQL over HTTP spec) against a running service and
// prints one JSON line per audit: {"id", "name", "status", "reason"?}.
//   node audit.mjs http://127.0.0.1:8000/graphql
// Exits 0 when it could run the audits (pass or fail is for the caller to judge), 2 if not.
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs URL');
  process.exit(2);
}

try {
  const results = await auditServer({ url });
  for (const result of results) {
    const line = { id: result.id, name: result.name, status: result.status };
    if (result.status !== 'ok') {
      line.reason = result.reason;
      line.httpStatus = result.response.status;
      line.body = (await result.response.text()).slice(0, 500);
    }
    console.log(JSON.stringify(line));
  }
} catch (error) {
  console.error(`audit failed to run: ${error}`);
  process.exit(2);
}
