import { describe, expect, it } from 'vitest';
import { createRegistry } from '../config/builtins.js';
import { configFromObject } from '../config/config.js';
import { isPldError } from '../errors.js';
import { CachedUpdatePersister } from './cached.js';
import { cronSchedule, intervalSchedule, rruleSchedule, scheduleFromParams } from './schedule.js';
import { startSchedule } from './schedule-runner.js';
import { isModelPersister } from './types.js';

const T0 = new Date('2024-05-01T12:00:00.000Z');

function invalid(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(isPldError(error) ? error.code : error).toBe('PLD_ERR_CONFIG_INVALID_PARAM');
    return (error as Error).message;
  }
  throw new Error('expected PLD_ERR_CONFIG_INVALID_PARAM');
}

describe('update_cache_rrule (Palladium dict)', () => {
  it('takes frequency and weekday names as dateutil does', () => {
    const schedule = rruleSchedule({ freq: 'DAILY', byhour: [3, 15], byminute: 0, bysecond: 0, dtstart: '2024-01-01T00:00:00Z' }, 'p.update_cache_rrule');
    expect(schedule.next(T0)?.toISOString()).toBe('2024-05-01T15:00:00.000Z');
    expect(schedule.next(new Date('2024-05-01T15:00:00Z'))?.toISOString()).toBe('2024-05-02T03:00:00.000Z');
    const weekly = rruleSchedule({ freq: 'WEEKLY', byweekday: ['MO'], byhour: 6, byminute: 0, bysecond: 0, dtstart: '2024-01-01T00:00:00Z' }, 'r');
    expect(weekly.next(T0)?.toISOString()).toBe('2024-05-06T06:00:00.000Z'); // 1 May 2024 was a Wednesday
  });

  it('counts from now without dtstart, honours interval, and ends after count', () => {
    const before = Date.now();
    const schedule = rruleSchedule({ freq: 'SECONDLY', interval: 5 }, 'r');
    const next = schedule.next(new Date())?.getTime() ?? 0;
    expect(next - before).toBeGreaterThan(0);
    expect(next - before).toBeLessThanOrEqual(5000);
    const limited = rruleSchedule({ freq: 'HOURLY', count: 2, dtstart: '2024-05-01T10:00:00Z' }, 'r');
    expect(limited.next(T0)).toBeNull();
    expect(limited.description).toContain('FREQ=HOURLY');
  });

  it.each([
    [{}, /p\.update_cache_rrule\.freq is required/],
    [{ freq: 'HOURLI' }, /p\.update_cache_rrule\.freq must be one of YEARLY/],
    [{ freq: 'HOURLY', interval: 0 }, /p\.update_cache_rrule\.interval must be an integer from 1/],
    [{ freq: 'HOURLY', byhour: [25] }, /p\.update_cache_rrule\.byhour must be an integer from 0 to 23/],
    [{ freq: 'HOURLY', byweekday: 'XX' }, /p\.update_cache_rrule\.byweekday must be a weekday/],
    [{ freq: 'HOURLY', dtstart: 'yesterday' }, /p\.update_cache_rrule\.dtstart must be an ISO 8601/],
    [{ freq: 'HOURLY', every: 2 }, /p\.update_cache_rrule\.every is not an rrule option/],
  ])('rejects %j naming the key', (dict, message) => {
    expect(invalid(() => rruleSchedule(dict, 'p.update_cache_rrule'))).toMatch(message);
  });
});

describe('update_cache_cron and update_cache_interval', () => {
  it('runs a cron expression with or without seconds', () => {
    const everyTwoSeconds = cronSchedule('*/2 * * * * *', 'c');
    const next = everyTwoSeconds.next(T0);
    expect(next?.getTime()).toBe(T0.getTime() + 2000);
    const hourly = cronSchedule('0 * * * *', 'c').next(T0);
    expect(hourly?.getMinutes()).toBe(0);
    expect(hourly!.getTime() - T0.getTime()).toBeLessThanOrEqual(3_600_000);
  });

  it('rejects a bad cron expression naming the key', () => {
    expect(invalid(() => cronSchedule('every hour', 'model_persister.update_cache_cron'))).toMatch(/^model_persister\.update_cache_cron must be a cron expression/);
  });

  it('adds the interval in seconds, fractions allowed', () => {
    expect(intervalSchedule(0.25, 'i').next(T0)?.getTime()).toBe(T0.getTime() + 250);
    for (const bad of [0, -1, Number.NaN])
      expect(invalid(() => intervalSchedule(bad, 'mp.update_cache_interval'))).toMatch(/mp\.update_cache_interval must be a number of seconds > 0/);
  });

  it('refuses two schedules at once and gives none when none is set', () => {
    expect(invalid(() => scheduleFromParams({ update_cache_cron: '* * * * *', update_cache_interval: 5 }, 'model_persister'))).toMatch(
      /model_persister\.update_cache_interval give only one of/,
    );
    expect(scheduleFromParams({}, 'model_persister')).toBeUndefined();
  });
});

describe('CachedUpdatePersister from the config', () => {
  const build = (extra: Record<string, unknown>) =>
    configFromObject(
      { model_persister: { __factory__: 'palladium.persistence.CachedUpdatePersister', impl: { __factory__: 'File', path: 'm-{version}' }, ...extra } },
      createRegistry(),
      '/tmp',
    ).component('model_persister', 'persister', isModelPersister);

  it('builds impl first and parses the schedule', async () => {
    const persister = await build({ update_cache_rrule: { freq: 'HOURLY' } });
    expect(persister).toBeInstanceOf(CachedUpdatePersister);
    expect((persister as CachedUpdatePersister).schedule?.description).toMatch(/^rrule FREQ=HOURLY/);
    expect((persister as CachedUpdatePersister).checkVersion).toBe(true);
  });

  it('names the offending key of a bad schedule or impl', async () => {
    await expect(build({ update_cache_cron: 'nope' })).rejects.toMatchObject({ code: 'PLD_ERR_CONFIG_INVALID_PARAM', message: /model_persister\.update_cache_cron/ });
    await expect(
      configFromObject({ model_persister: { __factory__: 'CachedUpdatePersister', impl: 'File' } }, createRegistry()).component('model_persister', 'persister', isModelPersister),
    ).rejects.toMatchObject({ code: 'PLD_ERR_CONFIG_INVALID_PARAM', message: /impl/ });
  });
});

describe('startSchedule', () => {
  it('runs the task on each tick without overlap, survives errors, and stops', async () => {
    const starts: number[] = [];
    let running = 0;
    let overlapped = false;
    const errors: unknown[] = [];
    const handle = startSchedule(
      intervalSchedule(0.01, 'i'),
      async () => {
        overlapped ||= running > 0;
        running += 1;
        starts.push(Date.now());
        await new Promise((resolve) => setTimeout(resolve, 15));
        running -= 1;
        if (starts.length === 2) throw new Error('boom');
      },
      { onError: (error) => errors.push(error) },
    );
    while (starts.length < 4) await new Promise((resolve) => setTimeout(resolve, 5));
    handle.stop();
    const count = starts.length;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(starts.length).toBeLessThanOrEqual(count + 1);
    expect(overlapped).toBe(false);
    expect(errors).toHaveLength(1);
    expect(handle.nextRun).toBeNull();
  });
});
