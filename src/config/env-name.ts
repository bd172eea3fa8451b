/** An environment variable's name as the shell exports it: capitals, digits and _, no leading digit (POSIX.1-2017 §8.1). */
export const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;
