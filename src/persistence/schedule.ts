import { Cron } from 'croner';
import rrulePackage from 'rrule';
import { PldError } from '../errors.js';

// rrule ships CommonJS for Node; its named exports are only reachable through the default export.
const { RRule } = rrulePackage;

/**
 * When something recurring runs next. `next(after)` is the first run strictly after `after`, or
 * `null` when the schedule is exhausted (an rrule with `count` or `until`).
 * @example
 * const schedule = intervalSchedule(60, 'model_persister.update_cache_interval');
 * schedule.next(new Date()); // one minute from now
 */
export interface Schedule {
  /** For logs and `/alive`, e.g. `every 60 s`, `cron "0 * * * *"`, `rrule FREQ=HOURLY`. */
  readonly description: string;
  next(after: Date): Date | null;
}

/** The three ways a config can give a schedule; at most one may be set. */
export interface ScheduleParams {
  readonly update_cache_rrule?: Record<string, unknown>;
  readonly update_cache_cron?: string;
  readonly update_cache_interval?: number;
}

/**
 * The schedule a config gives under `keyPath` (`update_cache_rrule`, `update_cache_cron` or
 * `update_cache_interval`), or `undefined` when none is set. Two at once, or a bad value, is
 * `PLD_ERR_CONFIG_INVALID_PARAM` naming the key.
 * @example
 * scheduleFromParams({ update_cache_rrule: { freq: 'HOURLY' } }, 'model_persister')?.description; // 'rrule FREQ=HOURLY'
 */
export function scheduleFromParams(params: ScheduleParams, keyPath: string): Schedule | undefined {
  const given = (['update_cache_rrule', 'update_cache_cron', 'update_cache_interval'] as const).filter((key) => params[key] !== undefined);
  if (given.length > 1) throw _invalid(`${keyPath}.${given[1]}`, `give only one of update_cache_rrule, update_cache_cron and update_cache_interval, got ${given.join(' and ')}`);
  if (params.update_cache_rrule !== undefined) return rruleSchedule(params.update_cache_rrule, `${keyPath}.update_cache_rrule`);
  if (params.update_cache_cron !== undefined) return cronSchedule(params.update_cache_cron, `${keyPath}.update_cache_cron`);
  if (params.update_cache_interval !== undefined) return intervalSchedule(params.update_cache_interval, `${keyPath}.update_cache_interval`);
  return undefined;
}

/**
 * A fixed period in seconds (fractions allowed), counted from the end of the previous run so runs
 * never overlap.
 * @example
 * intervalSchedule(0.5, 'update_cache_interval').next(new Date(0)); // 1970-01-01T00:00:00.500Z
 */
export function intervalSchedule(seconds: number, keyPath: string): Schedule {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) throw _invalid(keyPath, `must be a number of seconds > 0, got ${JSON.stringify(seconds)}`);
  return { description: `every ${seconds} s`, next: (after) => new Date(after.getTime() + seconds * 1000) };
}

/**
 * A cron expression (5 fields, or 6 with seconds first), in the server's local time zone, via croner.
 * @example
 * cronSchedule('0 * * * *', 'update_cache_cron').description; // 'cron "0 * * * *"'
 */
export function cronSchedule(expression: string, keyPath: string): Schedule {
  let cron: Cron;
  try {
    cron = new Cron(expression, { paused: true });
  } catch (error) {
    throw _invalid(keyPath, `must be a cron expression such as "0 * * * *", got ${JSON.stringify(expression)} (${(error as Error).message})`);
  }
  return { description: `cron ${JSON.stringify(expression)}`, next: (after) => cron.nextRun(after) };
}

/**
 * Palladium's `update_cache_rrule` dict (dateutil's keyword arguments) as an RFC 5545 rule: `freq`
 * as a name (`'HOURLY'`) or number, weekdays as names (`'MO'`), `dtstart`/`until` as ISO strings.
 * Without `dtstart` the rule counts from now, as Palladium's RruleThread does. Times are UTC.
 * @example
 * rruleSchedule({ freq: 'DAILY', byhour: [3] }, 'update_cache_rrule').description; // 'rrule FREQ=DAILY;BYHOUR=3'
 */
export function rruleSchedule(dict: Record<string, unknown>, keyPath: string): Schedule {
  if (typeof dict !== 'object' || dict === null || Array.isArray(dict)) throw _invalid(keyPath, `must be a dict such as {"freq": "HOURLY"}, got ${JSON.stringify(dict)}`);
  if (dict.freq === undefined) throw _invalid(`${keyPath}.freq`, `is required, one of ${_FREQUENCIES.join(', ')}`);
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(dict)) {
    const where = `${keyPath}.${key}`;
    const convert = _CONVERTERS[key.toLowerCase()];
    if (convert === undefined) throw _invalid(where, `is not an rrule option; use ${Object.keys(_CONVERTERS).join(', ')}`);
    options[key.toLowerCase()] = convert(value, where);
  }
  options.dtstart ??= _wholeSeconds(new Date());
  let rule: InstanceType<typeof RRule>;
  try {
    rule = new RRule(options);
  } catch (error) {
    throw _invalid(keyPath, `is not a valid rrule: ${(error as Error).message}`);
  }
  return {
    description: `rrule ${rule
      .toString()
      .replace(/^DTSTART:\S+\s+/, '')
      .replace(/^RRULE:/, '')}`,
    next: (after) => rule.after(after, false),
  };
}

const _FREQUENCIES = ['YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY', 'HOURLY', 'MINUTELY', 'SECONDLY'] as const;
const _WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;

type _Converter = (value: unknown, where: string) => unknown;

const _integers =
  (min: number, max: number): _Converter =>
  (value, where) => {
    const list = Array.isArray(value) ? value : [value];
    for (const item of list) {
      if (!Number.isInteger(item) || (item as number) < min || (item as number) > max)
        throw _invalid(where, `must be an integer from ${min} to ${max} or a list of them, got ${JSON.stringify(value)}`);
    }
    return value;
  };

const _date: _Converter = (value, where) => {
  const parsed = typeof value === 'string' ? new Date(value) : undefined;
  if (parsed === undefined || Number.isNaN(parsed.getTime()))
    throw _invalid(where, `must be an ISO 8601 date-time string such as "2024-01-01T03:00:00Z", got ${JSON.stringify(value)}`);
  return parsed;
};

const _weekday: _Converter = (value, where) => {
  const one = (item: unknown) => {
    if (typeof item === 'number' && Number.isInteger(item) && item >= 0 && item <= 6) return item;
    const index = typeof item === 'string' ? _WEEKDAYS.indexOf(item.toUpperCase() as (typeof _WEEKDAYS)[number]) : -1;
    if (index < 0) throw _invalid(where, `must be a weekday (${_WEEKDAYS.join(', ')}, or 0-6 from Monday) or a list of them, got ${JSON.stringify(value)}`);
    return index;
  };
  return Array.isArray(value) ? value.map(one) : one(value);
};

const _CONVERTERS: Record<string, _Converter> = {
  freq: (value, where) => {
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < _FREQUENCIES.length) return value;
    const index = typeof value === 'string' ? _FREQUENCIES.indexOf(value.toUpperCase() as (typeof _FREQUENCIES)[number]) : -1;
    if (index < 0) throw _invalid(where, `must be one of ${_FREQUENCIES.join(', ')}, got ${JSON.stringify(value)}`);
    return index;
  },
  dtstart: _date,
  until: _date,
  interval: _integers(1, Number.MAX_SAFE_INTEGER),
  count: _integers(1, Number.MAX_SAFE_INTEGER),
  wkst: _weekday,
  byweekday: _weekday,
  bysetpos: _integers(-366, 366),
  bymonth: _integers(1, 12),
  bymonthday: _integers(-31, 31),
  byyearday: _integers(-366, 366),
  byweekno: _integers(-53, 53),
  byhour: _integers(0, 23),
  byminute: _integers(0, 59),
  bysecond: _integers(0, 59),
  byeaster: _integers(-366, 366),
};

function _wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

function _invalid(keyPath: string, what: string): PldError {
  return new PldError('PLD_ERR_CONFIG_INVALID_PARAM', `${keyPath} ${what}`, { details: { keyPath } });
}
