import { describe, expect, it } from 'vitest';
import { RestartLimiter } from '../../src/client/restartLimiter';

describe('RestartLimiter', () => {
  it('allows 5 restarts in 10 minutes, refuses the 6th, and allows again when the window slides', () => {
    let now = 0;
    const limiter = new RestartLimiter(5, 10 * 60_000, () => now);
    for (let i = 0; i < 5; i++) {
      now += 60_000;
      expect(limiter.tryAcquire()).toBe(true);
    }
    now += 60_000; // 6 minutes after the first
    expect(limiter.tryAcquire()).toBe(false);
    expect(limiter.recent).toBe(5);
    now = 60_000 + 10 * 60_000; // the first restart leaves the window
    expect(limiter.tryAcquire()).toBe(true);
    expect(limiter.tryAcquire()).toBe(false);
  });

  it('starts afresh after reset (a user-requested restart)', () => {
    const limiter = new RestartLimiter(2, 1000, () => 5);
    expect(limiter.tryAcquire()).toBe(true);
    expect(limiter.tryAcquire()).toBe(true);
    expect(limiter.tryAcquire()).toBe(false);
    limiter.reset();
    expect(limiter.tryAcquire()).toBe(true);
  });
});
