// A stand-in for Saleor's subgraph: Saleor's own SDL, with just enough
// resolvers to answer `me`, `user(id:)` and User entities from a fixed list.
//
//   node saleor-standin.cjs --sdl subgraph-3.24.graphql --users users.json
//
// users.json is a list of {"id", "email", "token"}, read at each request so a
// test can change it; a request whose `Authorization: Bearer <token>` matches
// a user is signed in as her. Listens
// on 127.0.0.1 (a free port unless --port) and prints {"url": ...} once ready.
"use strict";

const fs = require("node:fs");
const { ApolloServer } = require("@apollo/server");
const {
  ApolloServerPluginInlineTraceDisabled,
} = require("@apollo/server/plugin/disabled");
const { startStandaloneServer } = require("@apollo/server/standalone");
const { buildSubgraphSchema } = require("@apollo/subgraph");
const { parse } = require("graphql");

// Saleor prints the federation plumbing into its SDL; buildSubgraphSchema
// adds its own and refuses a second definition.
const PLUMBING = new Set(["_Any", "_Entity", "_Service"]);

function option(name, fallback) {
  const index = process.argv.indexOf(name);
  return index === -1 ? fallback : process.argv[index + 1];
}

function saleorTypeDefs(path) {
  const document = parse(fs.readFileSync(path, "utf8"));
  return {
    ...document,
    definitions: document.definitions.filter(
      (definition) => !(definition.name && PLUMBING.has(definition.name.value)),
    ),
  };
}

async function main() {
  const usersFile = option("--users");
  const findUser = (key, value) =>
    JSON.parse(fs.readFileSync(usersFile, "utf8")).find(
      (user) => value !== undefined && user[key] === value,
    ) || null;
  const byKey = (reference) =>
    reference.id ? findUser("id", reference.id) : findUser("email", reference.email);

  const resolvers = {
    Query: {
      me: (_root, _args, context) => context.user,
      user: (_root, args) => byKey(args),
    },
    User: { __resolveReference: byKey },
  };
  const schema = buildSubgraphSchema([
    { typeDefs: saleorTypeDefs(option("--sdl")), resolvers },
  ]);
  const server = new ApolloServer({
    schema,
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const { url } = await startStandaloneServer(server, {
    listen: { host: "127.0.0.1", port: Number(option("--port", "0")) },
    context: async ({ req }) => ({
      user: findUser("token", (req.headers.authorization || "").slice(7)),
    }),
  });
  process.stdout.write(JSON.stringify({ url }) + "\n");
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
