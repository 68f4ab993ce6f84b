#!/usr/bin/env node
// The `gloo-keepalive` command: the compiled command line (dist/components/cli). --help and
// --version load only their own small module; a command loads only what it needs, compiled with
// the code cache of earlier runs (dist/components/cli/compile-cache.js).
"use strict";
const argv = process.argv.slice(2);
const { helpOrVersion } = require("../dist/components/cli/help.js");
const answered = helpOrVersion(argv);
if (answered !== undefined) process.exitCode = answered;
else {
    require("../dist/components/cli/compile-cache.js").enableCompileCache();
    process.exitCode = require("../dist/components/cli/index.js").main(argv);
}
