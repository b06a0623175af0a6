// Loads the bundle for bin/ssm-doctor.js. Start-up is most of a small run (DESIGN section 8), and most of
// start-up is V8 compiling the bundle: dist/cjs/ holds the bundle's chunks as CommonJS scripts, each
// compiled here with node:vm and the V8 code cache `npm run build` made for it (scripts/code-cache.mjs).
// A cache V8 refuses (another Node version, other V8 flags) only costs the compile it would have saved.
// Without dist/cjs/, and with --debug (source maps apply to ES modules only), dist/cli.js is imported.
"use strict";

const { existsSync, readFileSync, writeFileSync } = require("node:fs");
const { createRequire } = require("node:module");
const { join } = require("node:path");
const { pathToFileURL } = require("node:url");
const vm = require("node:vm");

const DIST = join(__dirname, "..", "dist");
const SCRIPTS = join(DIST, "cjs");
/** The build id each script starts with (`/*<16 hex digits>*\/`), repeated at the head of its cache. */
const ID_LENGTH = 20;

/** What the CommonJS chunks are given: the module's names, plus a dynamic import and import.meta.url. */
const HEAD = '(function (exports, require, module, __filename, __dirname, __import, __importMetaUrl) {"use strict";';
const TAIL = "\n})";

function loadScripts() {
  // "1": write every loaded script's cache; "missing": only those of scripts that have none yet.
  const writeCaches = process.env.SSM_DOCTOR_WRITE_CODE_CACHE;
  const packages = createRequire(join(DIST, "cli.js"));
  // Packages the chunks import dynamically resolve from here as from dist/: both sit in the package root.
  const importPackage = (specifier) => import(specifier);
  const modules = new Map();
  const loaded = [];

  const requireFromChunk = (specifier) => (specifier.startsWith("./") ? load(specifier.slice(2)) : packages(specifier));

  function load(name) {
    const known = modules.get(name);
    if (known) return known.exports;
    const file = join(SCRIPTS, name);
    const source = readFileSync(file, "utf8");
    const id = source.slice(0, ID_LENGTH);
    let cachedData;
    try {
      const cache = readFileSync(`${file}.cache`);
      if (cache.toString("latin1", 0, ID_LENGTH) === id) cachedData = cache.subarray(ID_LENGTH);
    } catch {
      // no cache (a build without the cache run): compiled without one
    }
    const script = new vm.Script(HEAD + source + TAIL, { filename: file, cachedData });
    const module = { exports: {} };
    modules.set(name, module);
    if (writeCaches === "1" || (writeCaches === "missing" && !cachedData)) loaded.push({ file, id, script });
    const url = pathToFileURL(join(DIST, name)).href;
    script.runInThisContext()(module.exports, requireFromChunk, module, file, SCRIPTS, importPackage, url);
    return module.exports;
  }

  const done = () => {
    for (const { file, id, script } of loaded)
      writeFileSync(`${file}.cache`, Buffer.concat([Buffer.from(id, "latin1"), script.createCachedData()]));
  };
  return { cli: load("cli.js"), done };
}

/** The CLI module ({ main, buildProgram }) and what to call once it has run. */
exports.loadCli = async ({ esm }) => {
  if (!esm && existsSync(join(SCRIPTS, "cli.js"))) return loadScripts();
  return { cli: await import(pathToFileURL(join(DIST, "cli.js")).href), done: () => {} };
};
