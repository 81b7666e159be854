export {
  createScheduler,
  type Scheduler,
  type SchedulerClock,
  type SchedulerOptions,
  type ScheduledSource,
} from './create-scheduler.js';
export { createWorker, type Worker, type WorkerDeps, type WorkerOptions } from './create-worker.js';
export { loadPipelineStage, loadServeStage, type PipelineStage, type ServeStage } from './load-stages.js';
export {
  createSiteElection,
  openSiteElection,
  siteElectionKeys,
  type OpenedElection,
  type SiteElection,
  type SiteElectionHooks,
  type SiteElectionOptions,
} from './site-election.js';
export type { Fire, FireDispatcher, FireQueue, FireQueueOptions } from './fire-queue.js';
export { openDefaultQueue, type QueueHooks } from './open-default-queue.js';
export { createMetrics, type Metrics, type MetricsOptions } from './metrics.js';
export { ScheduleError } from './schedule-error.js';
