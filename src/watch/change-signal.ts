/**
 * A wake-up for the watch loop: IMAP pushes (an `EXISTS` during IDLE, RFC 2177) and new waiters
 * notify it; the loop waits on it with a timeout instead of sleeping a fixed poll interval.
 * A notification that comes while the loop is busy looking is kept, so the next wait returns at
 * once and the change is looked at: nothing that arrives mid-look can be missed.
 */
export class ChangeSignal {
  private pending = false;
  private wakeUp: (() => void) | null = null;

  notify(): void {
    this.pending = true;
    const w = this.wakeUp;
    this.wakeUp = null;
    w?.();
  }

  /** Clears the flag; called right before a look, so changes seen during the look stay pending. */
  take(): boolean {
    const p = this.pending;
    this.pending = false;
    return p;
  }

  /** Resolves true when notified (at once if a notification is pending), false after `ms`. */
  wait(ms: number): Promise<boolean> {
    if (this.pending) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => {
          if (this.wakeUp === done) this.wakeUp = null;
          resolve(false);
        },
        Math.max(0, ms),
      );
      const done = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.wakeUp = done;
    });
  }
}
