/**
 * Company settings with their defaults (RULES.md marks them "(setting)").
 * The defaults live here only; a deployment overrides values through the SETTINGS_JSON
 * environment variable (CDK context `settings`, or the local stack's environment).
 */
export interface Settings {
  /** Company time zone for business dates and schedules. */
  timeZone: string;
  /** Currency of credit limits and prices (ISO 4217). */
  currency: string;
  /** R-CREDIT-1: months between periodic credit reviews. */
  creditReviewIntervalMonths: number;
  /**
   * R-REVIEW-2: an order with no finding and a gross amount under this (minor units) passes
   * review without a person; 0 = every order is reviewed by a person.
   */
  autoApprovalThresholdMinor: number;
  /**
   * R-CREDIT-4: an order over the credit limit needs the finance manager; over the limit by more
   * than this percentage of the limit it needs the GM.
   */
  creditApprovalGmAbovePercent: number;
  /** R-CREDIT-5: an invoice this many days past its due date puts the customer on credit hold. */
  creditHoldOverdueDays: number;
  /** R-FULFIL-2: the warehouse orders are reserved and issued from (one warehouse until allocation across several is built). */
  defaultWarehouseId: string;
  /** R-FULFIL-8: days goods stay held for a customer (留货), never past the end of the month they were held in. */
  goodsReservationDays: number;
  /**
   * R-FULFIL-9: the sales behind a suggested safety stock: the goods issued against delivery notes
   * in this many days up to now, as an average per day.
   */
  safetyStockSalesDays: number;
  /** R-FULFIL-9: the suggested safety stock covers this many days of that average (rounded up to the product's precision). */
  safetyStockCoverDays: number;
  /**
   * R-BILL-1: a delivery note is invoiced once its goods are issued (GOODS_ISSUED) or once the
   * customer signed for them (DELIVERED); either way the order's workflow invoices whatever is left
   * as its last step.
   */
  invoiceOn: 'GOODS_ISSUED' | 'DELIVERED';
  /** R-AR-1: upper bounds of the aging buckets in days past due: not due, 1-30, 31-60, 61-90, over 90. */
  agingBucketDays: number[];
  /** R-AR-2: alert milestones in days relative to the due date: due in 3 days, due today, 7, 30, 60, 90 days overdue. */
  receivableAlertDays: number[];
  /**
   * R-BILL-4: a credit note (sales allowance, 销售折让) up to this gross amount (minor units) is
   * approved by the sales manager; above it by the general manager.
   */
  creditNoteGmAboveMinor: number;
  /** R-BILL-6: the company's name as printed at the top of customer statements. */
  companyName: string;
  /** R-AR-4: the days of the month the sales summaries go out (the schedule runs on these days). */
  salesSummaryDays: number[];
  /**
   * The most one document may carry, in minor units: a price, an order line and the order's total,
   * a payment, a credit note, a credit limit, a deposit; and a customer's unallocated credit. More is
   * refused (400 naming the field) as implausible, and keeps every sum far inside what a JavaScript
   * number holds exactly (2^53 − 1, which also bounds this setting). Default 10^14 (10^12 CNY).
   */
  maxAmountMinor: number;
}

export const DEFAULT_SETTINGS: Settings = {
  timeZone: 'Asia/Shanghai',
  currency: 'CNY',
  creditReviewIntervalMonths: 6,
  autoApprovalThresholdMinor: 0,
  creditApprovalGmAbovePercent: 20,
  creditHoldOverdueDays: 30,
  defaultWarehouseId: 'MAIN',
  goodsReservationDays: 3,
  safetyStockSalesDays: 90,
  safetyStockCoverDays: 14,
  invoiceOn: 'DELIVERED',
  agingBucketDays: [30, 60, 90],
  receivableAlertDays: [-3, 0, 7, 30, 60, 90],
  salesSummaryDays: [5, 15, 25],
  creditNoteGmAboveMinor: 5_000_000,
  maxAmountMinor: 100_000_000_000_000,
  companyName: '示例贸易有限公司 Example Trading Co., Ltd.',
};

let cached: Settings | undefined;

export function settings(): Settings {
  if (!cached) {
    const overrides = process.env.SETTINGS_JSON ? (JSON.parse(process.env.SETTINGS_JSON) as Partial<Settings>) : {};
    cached = { ...DEFAULT_SETTINGS, ...overrides };
  }
  return cached;
}
