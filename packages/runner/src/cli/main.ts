import { KairosError } from '@kairos/core';
import { BACKTEST_USAGE, backtestCommand } from './backtest-command';
import { DOWNLOAD_USAGE, downloadCommand } from './download-command';
import { INDICATORS_USAGE, indicatorsCommand } from './indicators-command';
import { type CommandIo, processIo } from './io';
import { LOOKAHEAD_USAGE, lookaheadCommand } from './lookahead-command';
import { MONTECARLO_USAGE, montecarloCommand } from './montecarlo-command';
import { OPTIMIZE_USAGE, optimizeCommand } from './optimize-command';
import { WALK_FORWARD_USAGE, walkForwardCommand } from './walk-forward-command';
import { START_USAGE, startCommand } from './start-command';
import { STRATEGIES_USAGE, strategiesCommand } from './strategies-command';
import { UNIVERSE_USAGE, universeCommand } from './universe-command';
import { USERS_USAGE, usersCommand } from './users-command';

const USAGE = `usage: kairos <command> [options]

commands:
  backtest   ${BACKTEST_USAGE}
  start      ${START_USAGE}
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
 * Runs the CLI and returns the exit code: 0 on success, 2 on a usage or configuration
 * error (the message names the key), 1 on any other failure.
 */
export async function main(argv: string[], io: CommandIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(USAGE);
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) {
    io.err(`error: unknown command '${name}'; allowed: ${Object.keys(commands).join(', ')}`);
    return 2;
  }
  try {
    return await command(rest, io);
  } catch (err) {
    if (err instanceof KairosError) {
      io.err(`error [${err.code}] ${err.message}`);
      return err.code === 'CONFIG_INVALID' || err.code === 'DATA_INVALID' ? 2 : 1;
    }
    const code = (err as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      io.err(`error [CONFIG_INVALID] ${(err as Error).message}`);
      return 2;
    }
    io.err(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return 1;
  }
}
