import { ConfigError } from '@kairos/core';

/**
 * A research input is wrong (a range, a window, an objective). `key` names it, e.g.
 * `ranges.fast.step`; `param` is the strategy parameter concerned, when there is one.
 */
export class ResearchConfigError extends ConfigError {
  readonly param: string | undefined;
  constructor(key: string, message: string, param?: string) {
    super(key, message, param === undefined ? {} : { param });
    this.param = param;
  }
}
