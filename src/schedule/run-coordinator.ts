/**
 * The contract between the scheduler and whatever decides which worker runs a fire.
 * One process needs none; several workers share one (see redis-coordinator.ts).
 */

/** Decides, across workers, which one runs each scheduled fire of a source. */
export interface RunCoordinator {
  /**
   * Returns true if this worker won this fire (key: sourceId + scheduled fire time) and may run it.
   * Returns false when another worker took the fire or is still running the source.
   * Rejects when the coordinator cannot be reached; the scheduler then skips the fire (fail closed).
   */
  claim(sourceId: string, fireAt: Date, ttlMs: number): Promise<boolean>;
  /** Tells the other workers that this worker's run of the source has ended (optional). */
  release?(sourceId: string): Promise<void>;
  /** Releases what this worker still holds and closes the connection. */
  close(): Promise<void>;
}
