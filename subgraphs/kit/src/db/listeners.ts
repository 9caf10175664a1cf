/** Fan-out of executed statement texts, for statement-count tests and diagnostics. */
export class StatementListeners {
  private readonly listeners = new Set<(sql: string) => void>();

  add(listener: (sql: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(sql: string): void {
    for (const listener of this.listeners) listener(sql);
  }
}
