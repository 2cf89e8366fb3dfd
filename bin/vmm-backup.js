#!/usr/bin/env node
// Runs the TypeScript CLI directly (tsx registers a loader), so `npx vmm-backup` works right after `npm ci`.
'use strict';
require('tsx/cjs');
const { main } = require('../src/cli/main.ts');
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`vmm-backup: ${error && error.message ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
