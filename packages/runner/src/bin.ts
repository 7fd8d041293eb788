#!/usr/bin/env node
import { main } from './cli/main';

// `kairos ... --json | head` closes the pipe early: the reader is gone, so
// the rest of the output has nowhere to go; that is not a failure of the command.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`fatal: ${String(err)}\n`);
    process.exitCode = 1;
  },
);
