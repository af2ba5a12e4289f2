/**
 * Bounds automatic restarts of a crashed server: at most `max` restarts within a sliding window
 * (5 in 10 minutes by default). After that the caller gives up and asks the user.
 */
export class RestartLimiter {
  private readonly times: number[] = [];

  constructor(
    readonly max = 5,
    readonly windowMs = 10 * 60 * 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a restart and returns true when it is allowed, false when the budget is used up. */
  tryAcquire(): boolean {
    const t = this.now();
    while (this.times.length > 0 && t - this.times[0] >= this.windowMs) {
      this.times.shift();
    }
    if (this.times.length >= this.max) {
      return false;
    }
    this.times.push(t);
    return true;
  }

  /** Forgets past restarts (a user-requested restart starts afresh). */
  reset(): void {
    this.times.length = 0;
  }

  /** Restarts counted in the current window. */
  get recent(): number {
    const t = this.now();
    return this.times.filter((x) => t - x < this.windowMs).length;
  }
}
