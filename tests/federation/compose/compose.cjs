// Compose subgraph SDL files into a supergraph with Apollo's composition.
//
//   node compose.cjs saleor=path/to/saleor.graphql kinship=path/to/kinship.graphql \
//     [--supergraph out.graphql] [--field User.kinship ...]
//
// Prints one JSON object: the composition errors and hints, and for each
// --field whether the supergraph has it and its type. Exits 1 on errors.
"use strict";

const fs = require("node:fs");
const { composeServices } = require("@apollo/composition");
const { parse } = require("graphql");

function readArguments(argv) {
  const options = { subgraphs: [], fields: [], supergraph: null };
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index];
    if (argument === "--field") {
      options.fields.push(argv[++index]);
    } else if (argument === "--supergraph") {
      options.supergraph = argv[++index];
    } else {
      const [name, path] = argument.split("=");
      options.subgraphs.push({ name, path });
    }
  }
  return options;
}

function describeField(schema, coordinate) {
  const [typeName, fieldName] = coordinate.split(".");
  const type = schema.type(typeName);
  const field = type && type.field ? type.field(fieldName) : undefined;
  return field ? { present: true, type: String(field.type) } : { present: false };
}

function main() {
  const options = readArguments(process.argv.slice(2));
  const services = options.subgraphs.map(({ name, path }) => ({
    name,
    // The URL only labels the subgraph here; nothing is fetched.
    url: `http://127.0.0.1/${name}`,
    typeDefs: parse(fs.readFileSync(path, "utf8")),
  }));
  const result = composeServices(services);
  const report = {
    errors: (result.errors || []).map((error) => error.message),
    hints: (result.hints || []).map((hint) => hint.toString()),
    fields: {},
  };
  if (!result.errors) {
    for (const coordinate of options.fields) {
      report.fields[coordinate] = describeField(result.schema, coordinate);
    }
    if (options.supergraph) {
      fs.writeFileSync(options.supergraph, result.supergraphSdl);
    }
  }
  process.stdout.write(JSON.stringify(report) + "\n");
  process.exitCode = result.errors ? 1 : 0;
}

main();
