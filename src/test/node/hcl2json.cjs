// Parses every .tf file (and the .tfvars.example) of a folder with @cdktf/hcl2json (HashiCorp's HCL parser compiled to WebAssembly) and prints
// one JSON object: file name -> the file as JSON (blocks as arrays, expressions as "${...}" strings).
// Usage: node hcl2json.cjs <node_modules folder> <terraform folder>
const path = require("path");
const fs = require("fs");

async function main() {
  const [modules, folder] = process.argv.slice(2);
  const { parse } = require(path.resolve(modules, "@cdktf/hcl2json"));
  const out = {};
  for (const file of fs.readdirSync(folder).filter((name) => name.endsWith(".tf") || name.endsWith(".tfvars.example")).sort()) {
    out[file] = await parse(file, fs.readFileSync(path.join(folder, file), "utf8"));
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + "\n");
  process.exit(1);
});
