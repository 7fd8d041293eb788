import { ConfigError, KairosError } from '@kairos/core';
import { BACKTEST_USAGE, backtestCommand } from './backtest-command';
import { DOWNLOAD_USAGE, downloadCommand } from './download-command';
import { INDICATORS_USAGE, indicatorsCommand } from './indicators-command';
import { type CommandIo, processIo } from './io';
import { LOOKAHEAD_USAGE, lookaheadCommand } from './lookahead-command';
import { MONTECARLO_USAGE, montecarloCommand } from './montecarlo-command';
import { OPTIMIZE_USAGE, optimizeCommand } from './optimize-command';
import { WALK_FORWARD_USAGE, walkForwardCommand } from './walk-forward-command';
import { SESSIONS_USAGE, sessionsCommand } from './sessions-command';
import { START_USAGE, startCommand } from './start-command';
import { STRATEGIES_USAGE, strategiesCommand } from './strategies-command';
import { UNIVERSE_USAGE, universeCommand } from './universe-command';
import { USERS_USAGE, usersCommand } from './users-command';

const USAGE = `usage: kairos <command> [options]

commands:
  backtest   ${BACKTEST_USAGE}
  start      ${START_USAGE}
  sessions   ${SESSIONS_USAGE}
  strategies ${STRATEGIES_USAGE}
  indicators ${INDICATORS_USAGE}
  users      ${USERS_USAGE}
  download   ${DOWNLOAD_USAGE}
  universe   ${UNIVERSE_USAGE}
  optimize   ${OPTIMIZE_USAGE}
  walk-forward ${WALK_FORWARD_USAGE}
  montecarlo ${MONTECARLO_USAGE}
  lookahead  ${LOOKAHEAD_USAGE}
`;

type Command = (argv: string[], io: CommandIo) => Promise<number>;

const commands: Readonly<Record<string, Command>> = {
  backtest: backtestCommand,
  start: startCommand,
  sessions: sessionsCommand,
  strategies: strategiesCommand,
  indicators: indicatorsCommand,
  users: usersCommand,
  download: downloadCommand,
  universe: universeCommand,
  optimize: optimizeCommand,
  'walk-forward': walkForwardCommand,
  montecarlo: montecarloCommand,
  lookahead: lookaheadCommand,
};

/**
 * True when the command line asks for JSON: `--json` before any `--`. Looked at here
 * because a command may fail before (or while) parsing its own flags.
 */
function wantsJson(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).includes('--json');
}

/**
 * Prints an error on stderr: under `--json` as one line of JSON,
 * `{"error":{"code","message"[,"key"]}}`, otherwise as the text `error [CODE] message`.
 * Stderr in both cases, because stdout carries only results: a `--json` success is its
 * JSON on stdout and exit 0, a failure is nothing on stdout and a non-zero exit, so
 * `kairos … --json | jq` never parses an error as a result.
 */
function printError(io: CommandIo, json: boolean, error: { code: string; message: string; key?: string }, text: string): void {
  io.err(json ? JSON.stringify({ error: { code: error.code, message: error.message, ...(error.key === undefined ? {} : { key: error.key }) } }) : text);
}

/**
 * Runs the CLI and returns the exit code: 0 on success, 2 on a usage or configuration
 * error (the message names the key), 1 on any other failure. With `--json`, errors are
 * JSON on stderr (see `printError`).
 */
export async function main(argv: string[], io: CommandIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(USAGE);
    return name === undefined ? 2 : 0;
  }
  const json = wantsJson(rest);
  const command = commands[name];
  if (!command) {
    const message = `unknown command '${name}'; allowed: ${Object.keys(commands).join(', ')}`;
    printError(io, json, { code: 'CONFIG_INVALID', message }, `error: ${message}`);
    return 2;
  }
  try {
    return await command(rest, io);
  } catch (err) {
    if (err instanceof KairosError) {
      const key = err instanceof ConfigError ? err.key : undefined;
      printError(io, json, { code: err.code, message: err.message, ...(key === undefined ? {} : { key }) }, `error [${err.code}] ${err.message}`);
      return err.code === 'CONFIG_INVALID' || err.code === 'DATA_INVALID' ? 2 : 1;
    }
    const code = (err as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      const message = (err as Error).message;
      printError(io, json, { code: 'CONFIG_INVALID', message }, `error [CONFIG_INVALID] ${message}`);
      return 2;
    }
    // No stack in JSON: it is for people reading a terminal, not for a parser.
    const message = err instanceof Error ? err.message : String(err);
    printError(io, json, { code: 'INTERNAL', message }, `error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return 1;
  }
}
