// Types for node-flags.mjs, a build script in plain JavaScript that the bench and tests read.
export declare const NODE_OPTIONS_FLAGS: readonly string[];
export declare const COMMAND_LINE_FLAGS: readonly string[];
export declare const NODE_FLAGS: readonly string[];
export declare const NODE_ENV_DEFAULTS: Readonly<Record<string, string>>;
export declare const HANDED_OVER_ENV: Readonly<Record<string, string>>;
export declare function startEnvironment(
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string | undefined>;
export declare const HAND_OVER_UNLESS_NODE_OPTIONS: string;
