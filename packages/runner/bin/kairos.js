#!/usr/bin/env node
// The `kairos` command. In this repository it runs the TypeScript source, so
// `pnpm kairos` needs no build and is never behind the code; an installed
// package has no src/ and runs its built dist/ instead.
//
// It is a bin rather than a package.json script because pnpm prints a banner
// on stdout before a script, which would break `pnpm kairos ... --json | jq`;
// a bin is exec'd without one.
import { existsSync } from 'node:fs';
import { register } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const source = fileURLToPath(new URL('../src/bin.ts', import.meta.url));

if (existsSync(source)) {
  // Workspace packages export their TypeScript under the "source" condition (as
  // `node --conditions=source` would select); tsx then compiles it on load.
  const addSource =
    'export function resolve(specifier, context, next) {' +
    ' return next(specifier, context.conditions.includes("source") ? context : { ...context, conditions: [...context.conditions, "source"] }); }';
  register(`data:text/javascript,${encodeURIComponent(addSource)}`);
  const { register: registerTsx } = await import('tsx/esm/api');
  registerTsx();
  await import(pathToFileURL(source).href);
} else {
  await import('../dist/bin.js');
}
