import type { Schedule } from './schedule.js';

/** A running schedule: when it fires next, and how to stop it. */
export interface ScheduleHandle {
  /** The next planned run; `null` once stopped or exhausted. */
  readonly nextRun: Date | null;
  stop(): void;
}

// setTimeout takes at most a signed 32-bit delay; longer waits are re-armed in steps.
const _MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * Runs `task` at each time of `schedule`, never two at once: the next time is computed after the
 * previous run finished, so a slow run delays rather than piles up. Errors go to `onError`, and the
 * schedule goes on. Timers are unref'd, so a schedule alone never keeps the process alive.
 * @example
 * const handle = startSchedule(intervalSchedule(60, 'update_cache_interval'), () => holder.refresh(), { onError: log.error });
 * handle.stop();
 */
export function startSchedule(schedule: Schedule, task: () => Promise<unknown>, options: { onError?: (error: unknown) => void; now?: () => Date } = {}): ScheduleHandle {
  const now = options.now ?? (() => new Date());
  let timer: NodeJS.Timeout | undefined;
  let next: Date | null = null;
  let stopped = false;

  const arm = (): void => {
    if (stopped) return;
    next = schedule.next(now());
    if (next === null) return;
    _wait(next.getTime() - now().getTime());
  };
  const _wait = (delay: number): void => {
    timer = setTimeout(fire, Math.max(0, Math.min(delay, _MAX_DELAY_MS)));
    timer.unref();
  };
  const fire = (): void => {
    if (stopped || next === null) return;
    const remaining = next.getTime() - now().getTime();
    if (remaining > 1) {
      _wait(remaining);
      return;
    }
    Promise.resolve()
      .then(task)
      .catch((error: unknown) => options.onError?.(error))
      .finally(arm);
  };

  arm();
  return {
    get nextRun() {
      return stopped ? null : next;
    },
    stop() {
      stopped = true;
      next = null;
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}
