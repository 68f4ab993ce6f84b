#!/usr/bin/env node
// The `gloo-keepalive` command: the compiled command line (dist/components/cli). --help and
// --version load only their own small module; a command loads only what it needs.
"use strict";
const argv = process.argv.slice(2);
const { helpOrVersion } = require("../dist/components/cli/help.js");
const answered = helpOrVersion(argv);
process.exitCode = answered !== undefined ? answered : require("../dist/components/cli/index.js").main(argv);
