export { createScheduler, type Scheduler, type SchedulerOptions, type ScheduledSource } from './create-scheduler.js';
export { createWorker, type Worker, type WorkerDeps, type WorkerOptions } from './create-worker.js';
export type { RunCoordinator } from './run-coordinator.js';
export { createRedisCoordinator, type RedisCoordinatorOptions } from './redis-coordinator.js';
export { openRunCoordinator } from './open-run-coordinator.js';
export { createMetrics, type Metrics, type MetricsOptions } from './metrics.js';
export { ScheduleError } from './schedule-error.js';
