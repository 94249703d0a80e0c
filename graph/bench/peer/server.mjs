// The @neo4j/graphql peer of the timeline benchmark (docs/benchmarks.md).
//
// @neo4j/graphql 7 on graphql-yoga over node:http, the official neo4j-driver with its
// connection pool, on the same Neo4j and the same data as timeline. Production settings:
// NODE_ENV=production, no debug, masked errors, no GraphiQL, no landing page, Yoga's
// parse/validate cache (on by default). Like `timeline serve --workers N`, it runs N worker
// processes (node:cluster, the usual way to use several cores with Node) that share the port.
//
//   NEO4J_URI (bolt://127.0.0.1:7687) NEO4J_USER (neo4j) NEO4J_PASSWORD (timeline-dev)
//   NEO4J_DATABASE (neo4j) PEER_HOST (127.0.0.1) PEER_PORT (4001) PEER_WORKERS (2)
//
//   node graph/bench/peer/server.mjs      # GraphQL at http://127.0.0.1:4001/graphql
import cluster from "node:cluster";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";

process.env.NODE_ENV ??= "production";

const host = process.env.PEER_HOST ?? "127.0.0.1";
const port = Number(process.env.PEER_PORT ?? 4001);
const workers = Math.max(1, Number(process.env.PEER_WORKERS ?? 2));

if (cluster.isPrimary && workers > 1) {
  let ready = 0;
  for (let i = 0; i < workers; i += 1) cluster.fork();
  cluster.on("message", (_worker, message) => {
    if (message === "ready" && ++ready === workers) {
      console.log(`peer: ${workers} workers serving http://${host}:${port}/graphql`);
    }
  });
  cluster.on("exit", (worker, code, signal) => {
    console.error(`peer: worker ${worker.process.pid} exited (${signal ?? code})`);
    process.exitCode = 1;
  });
  const stop = () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill("SIGTERM");
    setTimeout(() => process.exit(), 2000).unref();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
} else {
  await serve();
}

async function serve() {
  const { Neo4jGraphQL } = await import("@neo4j/graphql");
  const { createYoga } = await import("graphql-yoga");
  const neo4j = (await import("neo4j-driver")).default;

  const driver = neo4j.driver(
    process.env.NEO4J_URI ?? "bolt://127.0.0.1:7687",
    neo4j.auth.basic(process.env.NEO4J_USER ?? "neo4j", process.env.NEO4J_PASSWORD ?? "timeline-dev"),
    { maxConnectionPoolSize: 100, disableLosslessIntegers: true, userAgent: "timeline-bench-peer" },
  );
  const typeDefs = readFileSync(new URL("./typeDefs.graphql", import.meta.url), "utf8");
  const neoSchema = new Neo4jGraphQL({ typeDefs, driver, debug: false });
  const schema = await neoSchema.getSchema();
  const database = process.env.NEO4J_DATABASE ?? "neo4j";

  const yoga = createYoga({
    schema,
    graphqlEndpoint: "/graphql",
    graphiql: false,
    landingPage: false,
    maskedErrors: process.env.PEER_UNMASK_ERRORS !== "1",
    logging: "error",
    context: () => ({ sessionConfig: { database } }),
  });
  const server = createServer(yoga);
  server.keepAliveTimeout = 65_000;
  server.listen(port, host, () => {
    if (cluster.isWorker) process.send?.("ready");
    else console.log(`peer: serving http://${host}:${port}/graphql`);
  });
  const stop = () => server.close(() => driver.close().finally(() => process.exit(0)));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
