/**
 * Marks a statement as background housekeeping (the outbox relay polling, say): listeners do not
 * hear it, since they count the statements that requests cause.
 */
export const BACKGROUND_SQL = "/* onecert:background */ ";

/** Fan-out of executed statement texts, for statement-count tests and diagnostics. */
export class StatementListeners {
  private readonly listeners = new Set<(sql: string) => void>();

  add(listener: (sql: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(sql: string): void {
    if (sql.startsWith(BACKGROUND_SQL)) return;
    for (const listener of this.listeners) listener(sql);
  }
}
