import { parseConfig, type Config } from './parse-config';

export { ConfigError, type Config } from './parse-config';

const g = globalThis as { __flightdeckConfig?: Config };

/** The validated configuration, parsed once per process. Throws ConfigError on bad input. */
export function getConfig(): Config {
  return (g.__flightdeckConfig ??= parseConfig(process.env));
}
