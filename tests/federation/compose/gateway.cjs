// An Apollo gateway in front of any subgraphs, composed from their `_service`
// SDL at start, forwarding each client's Authorization header to them.
//
//   node gateway.cjs --subgraph saleor=http://127.0.0.1:8000/graphql/ \
//                    --subgraph kinship=http://127.0.0.1:8001/graphql/ [--port 4000]
//
// Listens on 127.0.0.1 (a free port unless --port) and prints {"url": ...}
// once the supergraph is composed.
"use strict";

const { ApolloServer } = require("@apollo/server");
const { startStandaloneServer } = require("@apollo/server/standalone");
const {
  ApolloGateway,
  IntrospectAndCompose,
  RemoteGraphQLDataSource,
} = require("@apollo/gateway");

function subgraphsFrom(argv) {
  const subgraphs = [];
  for (let index = 0; index < argv.length; index += 1) {
    if (argv[index] === "--subgraph") {
      const [name, ...url] = argv[index + 1].split("=");
      subgraphs.push({ name, url: url.join("=") });
    }
  }
  return subgraphs;
}

class ForwardingDataSource extends RemoteGraphQLDataSource {
  willSendRequest({ request, context }) {
    if (context.authorization) {
      request.http.headers.set("authorization", context.authorization);
    }
  }
}

async function main() {
  const portIndex = process.argv.indexOf("--port");
  const port = portIndex === -1 ? 0 : Number(process.argv[portIndex + 1]);
  const gateway = new ApolloGateway({
    supergraphSdl: new IntrospectAndCompose({
      subgraphs: subgraphsFrom(process.argv.slice(2)),
    }),
    buildService: ({ url }) => new ForwardingDataSource({ url }),
  });
  // Clients see the subgraphs' coded errors, never the gateway's stack.
  const server = new ApolloServer({
    gateway,
    includeStacktraceInErrorResponses: false,
  });
  const { url } = await startStandaloneServer(server, {
    listen: { host: "127.0.0.1", port },
    context: async ({ req }) => ({ authorization: req.headers.authorization }),
  });
  process.stdout.write(JSON.stringify({ url }) + "\n");
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
