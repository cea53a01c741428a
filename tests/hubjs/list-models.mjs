// Lists one author's models with the official JS client, @huggingface/hub, pointed at another Hub
// (the fake one), and prints one JSON line per model. The C# cross-check test compares the lines
// with the fake's catalog, proving the fake speaks the protocol the official client expects:
// its expand handling, its Link header and its cursor.
//
//   node tests/hubjs/list-models.mjs --hub-url http://127.0.0.1:5055 --author Qwen [--expand downloadsAllTime,createdAt]
//
// --expand names extra properties, passed as the client's additionalFields (the client always asks
// for pipeline_tag, private, gated, downloads, likes and lastModified itself).
import { parseArgs } from "node:util";
import { listModels } from "@huggingface/hub";

const { values } = parseArgs({
  options: {
    "hub-url": { type: "string" },
    author: { type: "string" },
    expand: { type: "string", default: "" },
  },
});

if (!values["hub-url"] || !values.author) {
  console.error("Usage: node list-models.mjs --hub-url URL --author NAMESPACE [--expand field,field]");
  process.exit(2);
}

// The client appends "/api/models" to hubUrl: a trailing slash would double it.
const hubUrl = values["hub-url"].replace(/\/+$/, "");
const additionalFields = values.expand.split(",").filter(Boolean);

try {
  for await (const model of listModels({ search: { owner: values.author }, hubUrl, additionalFields })) {
    // The client renames the Hub's fields: its `id` is the Hub's `_id`, its `name` the Hub's `id`.
    const extra = Object.fromEntries(additionalFields.map((field) => [field, model[field]]));
    console.log(JSON.stringify({ id: model.name, _id: model.id, downloads: model.downloads, likes: model.likes, ...extra }));
  }
} catch (error) {
  console.error(`listModels failed: ${error?.stack ?? error}`);
  process.exit(1);
}
