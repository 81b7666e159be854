export { createScheduler, type Scheduler, type SchedulerOptions, type ScheduledSource } from './create-scheduler.js';
export type { RunCoordinator } from './run-coordinator.js';
export { createRedisCoordinator, type RedisCoordinatorOptions } from './redis-coordinator.js';
export { createMetrics, type Metrics, type MetricsOptions } from './metrics.js';
export { describeSchedule, type ScheduleDescription } from '../time/describe-schedule.js';
export { ScheduleError } from './schedule-error.js';
