/** The schedules of finance exports (R-AR-3), by name: the definitions (infra/definitions) and the worker both use them. */
export const SCHEDULE_NAMES = { daily: 'finance-exports-daily', monthEnd: 'finance-exports-month-end' } as const;
