/**
 * The error for a command line that cannot be run: an unknown option, a
 * missing value, a value of the wrong form.
 *
 * @module
 */

/** A mistake in the command line; `main` prints it and exits with code 2. */
export class UsageError extends Error {
  /**
   * Build a usage error.
   *
   * @param message What is wrong with the command line.
   */
  constructor(message: string) {
    super(message);
  }

  override get name(): string {
    return "UsageError";
  }
}
