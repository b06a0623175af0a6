/**
 * Bad input: the CLI prints `file:line:column: message (hint)` on one line and exits 2.
 * Sources throw this for anything the user must fix in the input; never a stack trace unless --debug.
 */
export class InputError extends Error {
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
    readonly column?: number,
    readonly hint?: string,
  ) {
    super(message);
    this.name = "InputError";
  }

  /** One line for the terminal. */
  format(): string {
    const where = this.file ? `${this.file}${this.line ? `:${this.line}${this.column ? `:${this.column}` : ""}` : ""}: ` : "";
    return `${where}${this.message}${this.hint ? ` (${this.hint})` : ""}`;
  }
}
