// Validates every object in packaging/kubernetes/*.yaml against the Kubernetes API's JSON schemas, with npm's
// kubernetes-models (4.5.1: its 5.x needs Node.js 22), whose classes check an object when validate() is called.
// Usage: node validate_manifests.cjs NODE_MODULES_DIR MANIFEST.yaml…   Exit 1 on the first invalid object.
const path = require("path");
const fs = require("fs");
const { createRequire } = require("module");

const [modules, ...files] = process.argv.slice(2);
const load = createRequire(path.join(path.resolve(modules), "noop.js"));
const yaml = load("js-yaml");

function modelFor(doc) {
  // apps/v1 Deployment -> kubernetes-models/apps/v1/Deployment; v1 ConfigMap -> kubernetes-models/v1/ConfigMap
  const module = load(`kubernetes-models/${doc.apiVersion}/${doc.kind}`);
  return module[doc.kind] || module.default;
}

function check(doc, where) {
  const Model = modelFor(doc);
  new Model(doc).validate();  // throws with the schema's complaint
  return `${where}: ${doc.apiVersion} ${doc.kind} ${doc.metadata.name}`;
}

let failed = 0;
for (const file of files) {
  for (const doc of yaml.loadAll(fs.readFileSync(file, "utf8")).filter(Boolean)) {
    try {
      console.log("valid   " + check(doc, path.basename(file)));
    } catch (e) {
      failed += 1;
      console.log(`INVALID ${path.basename(file)}: ${doc.kind} ${doc.metadata && doc.metadata.name}: ${e.message}`);
    }
  }
}
// The validator must see a mistake: a Deployment whose replicas is a string is refused.
try {
  check({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "bad" },
          spec: { replicas: "one", selector: {}, template: {} } }, "self-check");
  console.log("INVALID self-check: a Deployment with replicas: \"one\" was accepted");
  failed += 1;
} catch (e) {
  console.log("refused self-check: replicas: \"one\"");
}
process.exit(failed ? 1 : 0);
