/** Where the kit writes what a host should know: the `logger` option (console by default). Lowest layer: imports nothing. */
export interface Logger {
  /** Optional: start-up notes (which `au.userRouter` routes a host user store cannot serve). */
  info?(message: string, ...rest: unknown[]): void;
  warn(message: string, ...rest: unknown[]): void;
  error(message: string, ...rest: unknown[]): void;
}
