/**
 * The one definition of every route, function, table, state machine and schedule.
 * CDK (infra/stack.ts) and the local stack (infra/local/) both read this module only.
 */
import { assignmentRoutes } from '../../functions/assignment/routes.js';
import { billingFunctions } from '../../functions/billing/functions.js';
import { billingRoutes } from '../../functions/billing/routes.js';
import { catalogRoutes } from '../../functions/catalog/routes.js';
import { creditNoteFunctions } from '../../functions/credit-notes/functions.js';
import { creditNoteRoutes } from '../../functions/credit-notes/routes.js';
import { creditFunctions } from '../../functions/credit/functions.js';
import { creditRoutes } from '../../functions/credit/routes.js';
import { customerRoutes } from '../../functions/customers/routes.js';
import { logisticsRoutes } from '../../functions/logistics/routes.js';
import { notificationFunctions } from '../../functions/notifications/functions.js';
import { notificationRoutes } from '../../functions/notifications/routes.js';
import { outboxFunctions } from '../../functions/outbox/functions.js';
import { orderFunctions } from '../../functions/orders/functions.js';
import { orderRoutes } from '../../functions/orders/routes.js';
import { pricingFunctions } from '../../functions/pricing/functions.js';
import { pricingRoutes } from '../../functions/pricing/routes.js';
import { reportFunctions } from '../../functions/reports/functions.js';
import { reportRoutes } from '../../functions/reports/routes.js';
import { reservationFunctions } from '../../functions/reservations/functions.js';
import { reservationRoutes } from '../../functions/reservations/routes.js';
import { returnFunctions } from '../../functions/returns/functions.js';
import { returnRoutes } from '../../functions/returns/routes.js';
import { sampleFunctions } from '../../functions/samples/functions.js';
import { sampleRoutes } from '../../functions/samples/routes.js';
import type {
  FunctionDefinition,
  RouteDefinition,
  ScheduleDefinition,
  StateMachineDefinition,
  StreamConsumerDefinition,
  StateMachineId,
} from '../../functions/shared/definitions.js';
import { DEFAULT_SETTINGS } from '../../functions/shared/settings.js';
import { deliveryFunctions } from '../../functions/delivery/functions.js';
import { exportFunctions } from '../../functions/exports/functions.js';
import { exportRoutes } from '../../functions/exports/routes.js';
import { SCHEDULE_NAMES as EXPORT_SCHEDULES } from '../../functions/exports/schedules.js';
import { deliveryRoutes } from '../../functions/delivery/routes.js';
import { stockFunctions } from '../../functions/stock/functions.js';
import { stockRoutes } from '../../functions/stock/routes.js';
import { statementFunctions } from '../../functions/statements/functions.js';
import { statementRoutes } from '../../functions/statements/routes.js';
import { systemRoutes } from '../../functions/system/routes.js';
import { taskRoutes } from '../../functions/tasks/routes.js';

export { TABLES, TABLE_LIST } from './tables.js';

export const ROUTES: RouteDefinition[] = [
  ...Object.values(systemRoutes),
  ...Object.values(customerRoutes),
  ...Object.values(creditRoutes),
  ...Object.values(catalogRoutes),
  ...Object.values(taskRoutes),
  ...Object.values(notificationRoutes),
  ...Object.values(orderRoutes),
  ...Object.values(pricingRoutes),
  ...Object.values(stockRoutes),
  ...Object.values(logisticsRoutes),
  ...Object.values(assignmentRoutes),
  ...Object.values(deliveryRoutes),
  ...Object.values(reservationRoutes),
  ...Object.values(sampleRoutes),
  ...Object.values(billingRoutes),
  ...Object.values(creditNoteRoutes),
  ...Object.values(returnRoutes),
  ...Object.values(reportRoutes),
  ...Object.values(exportRoutes),
  ...Object.values(statementRoutes),
];

export const STATE_MACHINES: Partial<Record<StateMachineId, StateMachineDefinition>> = {
  creditReview: {
    id: 'creditReview',
    name: 'CreditReview',
    file: 'state-machines/credit-review.asl.json',
    functions: {
      OpenCreditReviewTaskFunctionArn: creditFunctions.openCreditReviewTask,
      ApplyCreditReviewDecisionFunctionArn: creditFunctions.applyCreditReviewDecision,
      ExpireCreditReviewFunctionArn: creditFunctions.expireCreditReview,
    },
  },
  orderReview: {
    id: 'orderReview',
    name: 'OrderReview',
    file: 'state-machines/order-review.asl.json',
    functions: {
      PreCheckOrderFunctionArn: orderFunctions.preCheckOrder,
      OpenOrderTaskFunctionArn: orderFunctions.openOrderTask,
      FinishOrderReviewFunctionArn: orderFunctions.finishOrderReview,
      CheckOrderCreditFunctionArn: creditFunctions.checkOrderCredit,
      OpenCreditTaskFunctionArn: creditFunctions.openCreditTask,
      ReturnOrderFromCreditFunctionArn: creditFunctions.returnOrderFromCredit,
      ReserveOrderStockFunctionArn: stockFunctions.reserveOrderStock,
      OpenStockWaitFunctionArn: stockFunctions.openStockWait,
      OpenDeliveryWaitFunctionArn: deliveryFunctions.openDeliveryWait,
      InvoiceOrderFunctionArn: billingFunctions.invoiceOrder,
      RecordOrderExceptionFunctionArn: orderFunctions.recordOrderException,
    },
  },
  priceListApproval: {
    id: 'priceListApproval',
    name: 'PriceListApproval',
    file: 'state-machines/price-list-approval.asl.json',
    functions: {
      OpenPriceListTaskFunctionArn: pricingFunctions.openPriceListTask,
      MovePriceListToApprovalFunctionArn: pricingFunctions.movePriceListToApproval,
      ApprovePriceListVersionFunctionArn: pricingFunctions.approvePriceListVersion,
      ReturnPriceListVersionFunctionArn: pricingFunctions.returnPriceListVersion,
    },
  },
  safetyStockApproval: {
    id: 'safetyStockApproval',
    name: 'SafetyStockApproval',
    file: 'state-machines/approval.asl.json',
    functions: {
      OpenApprovalTaskFunctionArn: stockFunctions.openSafetyStockTask,
      ApplyApprovalOutcomeFunctionArn: stockFunctions.applySafetyStockOutcome,
    },
  },
  goodsReservationApproval: {
    id: 'goodsReservationApproval',
    name: 'GoodsReservationApproval',
    file: 'state-machines/approval.asl.json',
    functions: {
      OpenApprovalTaskFunctionArn: reservationFunctions.openGoodsReservationTask,
      ApplyApprovalOutcomeFunctionArn: reservationFunctions.applyGoodsReservationOutcome,
    },
  },
  sampleRequestApproval: {
    id: 'sampleRequestApproval',
    name: 'SampleRequestApproval',
    file: 'state-machines/approval.asl.json',
    functions: {
      OpenApprovalTaskFunctionArn: sampleFunctions.openSampleRequestTask,
      ApplyApprovalOutcomeFunctionArn: sampleFunctions.applySampleRequestOutcome,
    },
  },
  creditNoteApproval: {
    id: 'creditNoteApproval',
    name: 'CreditNoteApproval',
    file: 'state-machines/approval.asl.json',
    functions: {
      OpenApprovalTaskFunctionArn: creditNoteFunctions.openCreditNoteTask,
      ApplyApprovalOutcomeFunctionArn: creditNoteFunctions.applyCreditNoteOutcome,
    },
  },
  returnApproval: {
    id: 'returnApproval',
    name: 'ReturnApproval',
    file: 'state-machines/approval.asl.json',
    functions: {
      OpenApprovalTaskFunctionArn: returnFunctions.openReturnTask,
      ApplyApprovalOutcomeFunctionArn: returnFunctions.applyReturnOutcome,
    },
  },
  financeExport: {
    id: 'financeExport',
    name: 'FinanceExport',
    file: 'state-machines/finance-export.asl.json',
    functions: {
      RunFinanceExportFunctionArn: exportFunctions.runFinanceExport,
    },
  },
};

export const SCHEDULES: ScheduleDefinition[] = [
  {
    name: 'credit-reviews-due',
    description: 'Every night at 02:00: start credit reviews that are due (R-CREDIT-1)',
    expression: 'cron(0 2 * * ? *)',
    timeZone: DEFAULT_SETTINGS.timeZone,
    job: creditFunctions.creditReviewsDue,
  },
  {
    name: 'credit-holds-due',
    description: 'Every morning at 01:30: credit hold for customers with an invoice more than 30 days (setting) past due (R-CREDIT-5)',
    expression: 'cron(30 1 * * ? *)',
    timeZone: DEFAULT_SETTINGS.timeZone,
    job: creditFunctions.creditHoldsDue,
  },
  {
    name: 'goods-reservations-due',
    description: 'Every 15 minutes: release goods held for customers whose time is up (3 days, never past month end), and tell the rep (R-FULFIL-8)',
    expression: 'cron(0/15 * * * ? *)',
    timeZone: DEFAULT_SETTINGS.timeZone,
    job: reservationFunctions.goodsReservationsDue,
  },
  {
    name: 'receivables-due',
    description: 'Every morning at 08:00: alerts for open invoices due in 3 days, due today, 7, 30, 60 and 90 days overdue (setting), once each (R-AR-2)',
    expression: 'cron(0 8 * * ? *)',
    timeZone: DEFAULT_SETTINGS.timeZone,
    job: billingFunctions.receivablesDue,
  },
  {
    name: 'sales-summaries',
    description: 'On the 5th, 15th and 25th at 09:00 (setting salesSummaryDays): the sales summary since the previous summary day, to the managers (R-AR-4)',
    expression: `cron(0 9 ${DEFAULT_SETTINGS.salesSummaryDays.join(',')} * ? *)`,
    timeZone: DEFAULT_SETTINGS.timeZone,
    job: reportFunctions.salesSummaries,
  },
  {
    name: 'month-end-reconciliation',
    description: "On the 1st at 05:00: last month's delivery notes shipped against the warehouse's issues and the invoices, every difference listed (R-AR-4)",
    expression: 'cron(0 5 1 * ? *)',
    timeZone: DEFAULT_SETTINGS.timeZone,
    job: reportFunctions.monthEndReconciliation,
  },
  {
    name: EXPORT_SCHEDULES.daily,
    description: "Every night at 02:30: the previous day's ledger, invoices and payments and the aging snapshot as of that day, as CSV and JSON Lines with a manifest, to the exports bucket (R-AR-3)",
    expression: 'cron(30 2 * * ? *)',
    timeZone: DEFAULT_SETTINGS.timeZone,
    job: exportFunctions.runFinanceExport,
  },
  {
    name: EXPORT_SCHEDULES.monthEnd,
    description: 'On the 1st at 03:00: the previous month in full (ledger, invoices, payments) and the aging snapshot as of its last day, to the exports bucket (R-AR-3)',
    expression: 'cron(0 3 1 * ? *)',
    timeZone: DEFAULT_SETTINGS.timeZone,
    job: exportFunctions.runFinanceExport,
  },
  {
    name: 'workflow-starts-due',
    description: 'Every 5 minutes: start the workflows whose start is still pending after 2 minutes, the outbox safety net (the stream normally starts them within seconds)',
    expression: 'cron(0/5 * * * ? *)',
    timeZone: DEFAULT_SETTINGS.timeZone,
    job: outboxFunctions.workflowStartsDue,
  },
  {
    name: 'statements-due',
    description: "On the 1st at 04:00: the previous month's statement (opening, entries, closing, open invoices with aging) of every customer with ledger activity in it, once per customer and month (R-BILL-6)",
    expression: 'cron(0 4 1 * ? *)',
    timeZone: DEFAULT_SETTINGS.timeZone,
    job: statementFunctions.statementsDue,
  },
];

/** Every function once, whether it serves a route, a workflow step or a schedule. */
export const FUNCTIONS: FunctionDefinition[] = (() => {
  const all = [
    ...ROUTES.map((r) => r.function),
    ...Object.values(STATE_MACHINES).flatMap((m) => Object.values(m.functions)),
    ...SCHEDULES.map((s) => s.job),
  ];
  const byId = new Map<string, FunctionDefinition>();
  for (const fn of all) {
    const seen = byId.get(fn.id);
    if (seen && seen !== fn) throw new Error(`two functions share the id ${fn.id}`);
    byId.set(fn.id, fn);
  }
  return [...byId.values()];
})();

/**
 * Functions fed by a table's stream: in the cloud through event source mappings, locally through
 * the stream poller (infra/local/streams.ts), which reads DynamoDB Local's streams. The notifications
 * publisher is cloud-only (SNS has no local stand-in: the outbox table is where local notifications
 * land, read through GET /notifications).
 */
export const STREAM_CONSUMERS: StreamConsumerDefinition[] = [
  { table: 'notifications', function: notificationFunctions.publishNotifications, events: ['INSERT'], batchSize: 25, runsLocally: false },
  { table: 'workflowStarts', function: outboxFunctions.startWorkflows, events: ['INSERT'], batchSize: 10, runsLocally: true },
];
