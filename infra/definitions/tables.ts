/**
 * The DynamoDB tables, defined once for CDK and the local stack.
 * Every request path reads by key or by one of these indexes; no Scan outside admin tools.
 */
import type { TableDefinition, TableId } from '../../functions/shared/definitions.js';

const S = 'S' as const;

export const TABLES: Record<TableId, TableDefinition> = {
  customers: {
    id: 'customers',
    localName: 'o2c-customers',
    partitionKey: { name: 'customerId', type: S },
    indexes: [
      {
        name: 'byOwner',
        partitionKey: { name: 'ownerRepId', type: S },
        sortKey: { name: 'nameKey', type: S },
        serves: "a sales rep's own customers, by name prefix",
      },
      {
        name: 'byName',
        partitionKey: { name: 'listKey', type: S },
        sortKey: { name: 'nameKey', type: S },
        serves: 'all customers by name prefix (back office); listKey is constant: the archive is thousands of items, not millions',
      },
      {
        name: 'byCreditReviewDue',
        partitionKey: { name: 'creditReviewDueKey', type: S },
        sortKey: { name: 'nextCreditReviewOn', type: S },
        serves: 'nightly job: customers whose periodic credit review is due (R-CREDIT-1); sparse, only reviewed customers carry the key',
      },
    ],
    accessPatterns: [
      'get a customer by id',
      'list/search own customers by name prefix (byOwner)',
      'list/search all customers by name prefix (byName)',
      'customers with a credit review due on or before a date (byCreditReviewDue)',
    ],
  },
  products: {
    id: 'products',
    localName: 'o2c-products',
    partitionKey: { name: 'productCode', type: S },
    indexes: [
      {
        name: 'byName',
        partitionKey: { name: 'listKey', type: S },
        sortKey: { name: 'nameKey', type: S },
        serves: 'catalogue by name prefix',
      },
    ],
    accessPatterns: ['get a product by code', 'list/search the catalogue by name prefix (byName)'],
  },
  audit: {
    id: 'audit',
    localName: 'o2c-audit',
    partitionKey: { name: 'subject', type: S },
    sortKey: { name: 'entryKey', type: S },
    indexes: [],
    accessPatterns: [
      "a subject's change history, oldest first: subject = customer#ID, entryKey begins_with CHANGE# (R-INFO-3)",
      "who read a customer's data: entryKey begins_with READ# (R-INFO-2)",
    ],
  },
  tasks: {
    id: 'tasks',
    localName: 'o2c-tasks',
    partitionKey: { name: 'taskId', type: S },
    indexes: [
      {
        name: 'byQueue',
        partitionKey: { name: 'queueKey', type: S },
        sortKey: { name: 'queuedAt', type: S },
        serves: "open tasks of a role, oldest first; sparse: queueKey is removed when the task is decided",
      },
    ],
    accessPatterns: ['get a task by id', "a role's open tasks, oldest first (byQueue)"],
  },
  counters: {
    id: 'counters',
    localName: 'o2c-counters',
    partitionKey: { name: 'counterName', type: S },
    indexes: [],
    accessPatterns: ['next number of a sequence (customer numbers, later order numbers) by atomic ADD'],
  },
  notifications: {
    id: 'notifications',
    localName: 'o2c-notifications',
    partitionKey: { name: 'notificationId', type: S },
    indexes: [
      {
        name: 'byRecipient',
        partitionKey: { name: 'recipient', type: S },
        sortKey: { name: 'recipientSortKey', type: S },
        serves: "a role's or a user's notifications, newest first (recipientSortKey = createdAt#notificationId)",
      },
    ],
    stream: 'NEW_IMAGE',
    accessPatterns: [
      'outbox: a notification is written once (deterministic id, conditional put) in the transaction of the change that causes it',
      "a recipient's notifications (byRecipient)",
      'in the cloud the table stream feeds the publisher that sends to SNS',
    ],
  },
  idempotency: {
    id: 'idempotency',
    localName: 'o2c-idempotency',
    partitionKey: { name: 'id', type: S },
    indexes: [],
    timeToLiveAttribute: 'expiration',
    accessPatterns: ['stored result of a creating POST by Idempotency-Key, expiring after 24 hours'],
  },
  orders: {
    id: 'orders',
    localName: 'o2c-orders',
    partitionKey: { name: 'orderId', type: S },
    indexes: [
      {
        name: 'byOwner',
        partitionKey: { name: 'ownerRepId', type: S },
        sortKey: { name: 'createdKey', type: S },
        serves: "a sales rep's own orders by date (createdKey = createdAt#orderId)",
      },
      {
        name: 'byCustomer',
        partitionKey: { name: 'customerId', type: S },
        sortKey: { name: 'createdKey', type: S },
        serves: "a customer's orders by date",
      },
      {
        name: 'byStatus',
        partitionKey: { name: 'status', type: S },
        sortKey: { name: 'createdKey', type: S },
        serves: 'orders in a status by date (order desk, managers)',
      },
      {
        name: 'byDate',
        partitionKey: { name: 'listKey', type: S },
        sortKey: { name: 'createdKey', type: S },
        serves: 'all orders by date; listKey is constant: order volume is thousands a day, well under one partition',
      },
    ],
    accessPatterns: [
      'get an order by its number (orderId = SO-YYYY-NNNNNN)',
      "a rep's / a customer's / a status's orders in a date range (byOwner, byCustomer, byStatus), other filters applied on top",
      'all orders in a date range (byDate)',
    ],
  },
  priceLists: {
    id: 'priceLists',
    localName: 'o2c-price-lists',
    partitionKey: { name: 'priceListId', type: S },
    sortKey: { name: 'version', type: 'N' },
    indexes: [
      {
        name: 'byList',
        partitionKey: { name: 'listKey', type: S },
        sortKey: { name: 'priceListId', type: S },
        serves: 'every price list, by id; only the head item of each list (version 0) carries listKey',
      },
    ],
    accessPatterns: [
      'the versions of a price list, newest first (Query priceListId, ScanIndexForward false)',
      'the version in force on a date: newest APPROVED version with effectiveFrom <= date',
      'all price lists (byList, head items only)',
    ],
  },
  credit: {
    id: 'credit',
    localName: 'o2c-credit',
    partitionKey: { name: 'customerId', type: S },
    sortKey: { name: 'itemKey', type: S },
    indexes: [
      {
        name: 'openInvoicesByDue',
        partitionKey: { name: 'dueKey', type: S },
        sortKey: { name: 'dueDate', type: S },
        serves:
          "daily credit-hold job: open invoices by due date (R-CREDIT-5); sparse, only an invoice's open item carries dueKey = INVOICE, and it leaves the index when paid; one partition holds the open invoices of a company (thousands)",
      },
      {
        name: 'accountsOnHold',
        partitionKey: { name: 'holdKey', type: S },
        sortKey: { name: 'customerId', type: S },
        serves:
          "daily credit-hold job: the accounts on hold by kind (R-CREDIT-5), so an overdue hold whose invoices were paid comes off even if the payment's own lift was lost; sparse, only an account on hold carries holdKey = its kind",
      },
    ],
    accessPatterns: [
      "a customer's credit account (itemKey ACCOUNT): limit, exposure, available, hold — the item every reservation conditions on (R-CREDIT-4)",
      "a customer's open items behind the exposure (itemKey begins_with OPEN#): one per order approved but not invoiced, later one per invoice outstanding",
      'account and open items together: one Query on customerId (GET /customers/{customerId}/credit)',
      'open invoices due before a date, across customers (openInvoicesByDue)',
      'accounts on an overdue hold (accountsOnHold, holdKey = OVERDUE)',
    ],
  },
  stock: {
    id: 'stock',
    localName: 'o2c-stock',
    partitionKey: { name: 'productCode', type: S },
    sortKey: { name: 'itemKey', type: S },
    indexes: [
      {
        name: 'balancesByWarehouse',
        partitionKey: { name: 'balanceWarehouseId', type: S },
        sortKey: { name: 'stockKey', type: S },
        serves: "a warehouse's stock list by product code and specification (stockKey = code#spec); sparse, only balance items carry balanceWarehouseId",
      },
    ],
    accessPatterns: [
      "a product's balance per warehouse and specification (itemKey WH#<warehouseId>#<spec>): on hand, reserved, available — the item every reservation conditions on (R-FULFIL-2)",
      "a product's reservations per order line (itemKey RES#<orderId>#<lineNo>): reserved and still to reserve",
      "a product's movements, newest first (itemKey begins_with MOVE#): receipts, adjustments, reservations, releases, issues",
      'all balances of a warehouse (balancesByWarehouse)',
    ],
  },
  requests: {
    id: 'requests',
    localName: 'o2c-requests',
    partitionKey: { name: 'requestId', type: S },
    indexes: [
      {
        name: 'byQueue',
        partitionKey: { name: 'queueKey', type: S },
        sortKey: { name: 'createdKey', type: S },
        serves: 'open production and purchase requests of a department, oldest first; sparse, a completed request leaves the queue',
      },
    ],
    accessPatterns: ['get a production or purchase request by id', "a department's open requests, oldest first (byQueue)"],
  },
  carriers: {
    id: 'carriers',
    localName: 'o2c-carriers',
    partitionKey: { name: 'carrierId', type: S },
    indexes: [
      {
        name: 'byName',
        partitionKey: { name: 'listKey', type: S },
        sortKey: { name: 'nameKey', type: S },
        serves: 'the carrier register by name prefix (nameKey = name#carrierId); listKey is constant: a company works with dozens of carriers',
      },
    ],
    accessPatterns: [
      'get a carrier by number (carrierId = CR-NNNNNN): reads, edits, and the qualification check when a shipment is dispatched (R-FULFIL-6)',
      'list/search carriers by name prefix (byName); "qualified today" (qualified and qualifiedUntil >= today) is a filter on that query',
    ],
  },
  assignmentRules: {
    id: 'assignmentRules',
    localName: 'o2c-assignment-rules',
    partitionKey: { name: 'ruleId', type: S },
    indexes: [
      {
        name: 'byList',
        partitionKey: { name: 'listKey', type: S },
        sortKey: { name: 'ruleId', type: S },
        serves: 'every assignment rule by id in one partition (listKey = RULE): the admin keeps a few dozen, and assignment reads them all at once',
      },
    ],
    accessPatterns: [
      'get a rule by id (ruleId, chosen by the admin, e.g. EAST-MADE)',
      'all rules, by id (byList): the rule list and the assignment of an approved order by product type and region (R-FULFIL-1)',
    ],
  },
  deliveryNotes: {
    id: 'deliveryNotes',
    localName: 'o2c-delivery-notes',
    partitionKey: { name: 'deliveryNoteId', type: S },
    indexes: [
      {
        name: 'byOrder',
        partitionKey: { name: 'orderId', type: S },
        sortKey: { name: 'deliveryNoteId', type: S },
        serves: "an order's delivery notes, oldest first",
      },
      {
        name: 'byStatus',
        partitionKey: { name: 'status', type: S },
        sortKey: { name: 'createdKey', type: S },
        serves: 'notes waiting for finance (ISSUED), the warehouse (SIGNED_OFF), logistics (GOODS_ISSUED, DISPATCHED)',
      },
    ],
    accessPatterns: ['get a delivery note by number (DN-YYYY-NNNNNN)', "an order's notes (byOrder)", 'the notes in a status, oldest first (byStatus)'],
  },
  goodsReservations: {
    id: 'goodsReservations',
    localName: 'o2c-goods-reservations',
    partitionKey: { name: 'reservationId', type: S },
    indexes: [
      {
        name: 'byCustomer',
        partitionKey: { name: 'customerId', type: S },
        sortKey: { name: 'createdKey', type: S },
        serves: "a customer's goods reservations, newest first",
      },
      {
        name: 'heldByCustomer',
        partitionKey: { name: 'heldCustomerId', type: S },
        sortKey: { name: 'expiresAt', type: S },
        serves: "the goods held for a customer, soonest to expire first: the customer's orders take them first (sparse: HELD only)",
      },
      {
        name: 'heldByExpiry',
        partitionKey: { name: 'heldKey', type: S },
        sortKey: { name: 'expiresAt', type: S },
        serves: 'the release job: held reservations expired by now, and only those (sparse: HELD only)',
      },
    ],
    accessPatterns: [
      'get a goods reservation by number (GR-NNNNNN)',
      "a customer's reservations (byCustomer)",
      "what is held for a customer (heldByCustomer)",
      'held reservations expiring before an instant (heldByExpiry)',
    ],
  },
  sampleRequests: {
    id: 'sampleRequests',
    localName: 'o2c-sample-requests',
    partitionKey: { name: 'requestId', type: S },
    indexes: [
      {
        name: 'byStatus',
        partitionKey: { name: 'status', type: S },
        sortKey: { name: 'createdKey', type: S },
        serves: 'requests waiting for approval or for the warehouse (APPROVED), oldest first',
      },
    ],
    accessPatterns: ['get a sample or gift request by number (SR-NNNNNN)', 'the requests in a status, oldest first (byStatus)'],
  },
  invoices: {
    id: 'invoices',
    localName: 'o2c-invoices',
    partitionKey: { name: 'invoiceId', type: S },
    indexes: [
      {
        name: 'byCustomer',
        partitionKey: { name: 'customerId', type: S },
        sortKey: { name: 'issuedKey', type: S },
        serves: "a customer's invoices, newest first (statements, the invoice list)",
      },
      {
        name: 'byOrder',
        partitionKey: { name: 'orderId', type: S },
        sortKey: { name: 'invoiceId', type: S },
        serves: "an order's invoices",
      },
      {
        name: 'byMonth',
        partitionKey: { name: 'issuedMonth', type: S },
        sortKey: { name: 'issuedKey', type: S },
        serves: 'the invoices of a month across customers (exports, reconciliation)',
      },
      {
        name: 'paidByDate',
        partitionKey: { name: 'paidKey', type: S },
        sortKey: { name: 'paidOn', type: S },
        serves: 'aging as of a past day: the invoices paid in full after it (sparse: paid invoices only)',
      },
    ],
    accessPatterns: ['get an invoice by number (INV-YYYY-NNNNNN)', "a customer's invoices (byCustomer)", "an order's invoices (byOrder)", "a month's invoices (byMonth)"],
  },
  payments: {
    id: 'payments',
    localName: 'o2c-payments',
    partitionKey: { name: 'receiptNumber', type: S },
    indexes: [
      {
        name: 'byCustomer',
        partitionKey: { name: 'customerId', type: S },
        sortKey: { name: 'receivedKey', type: S },
        serves: "a customer's payments, newest first",
      },
      {
        name: 'byMonth',
        partitionKey: { name: 'receivedMonth', type: S },
        sortKey: { name: 'receivedKey', type: S },
        serves: 'the payments of a month across customers (exports)',
      },
    ],
    accessPatterns: [
      'get a payment by receipt number (RC-YYYY-NNNNNN)',
      "a customer's payments (byCustomer); those received on one day (receivedKey begins_with <day>#): the separate payments with one reference, when a reversal hands the reference's guard on (R-BILL-2)",
      "a month's payments (byMonth)",
    ],
  },
  ledger: {
    id: 'ledger',
    localName: 'o2c-ledger',
    partitionKey: { name: 'customerId', type: S },
    sortKey: { name: 'entryKey', type: S },
    indexes: [
      {
        name: 'entriesByMonth',
        partitionKey: { name: 'entryMonth', type: S },
        sortKey: { name: 'monthKey', type: S },
        serves: 'every entry of a month across customers, in time order (exports, statements); entries only carry the keys',
      },
      {
        name: 'unappliedCredits',
        partitionKey: { name: 'unappliedKey', type: S },
        sortKey: { name: 'receivedOn', type: S },
        serves:
          "receivables aging (R-AR-1, R-BILL-3): the customer credit still unapplied across customers (unapplied payments and credit notes), by the day it was received or issued; sparse, only CREDIT# items carry unappliedKey = CREDIT, and an item leaves when it is used up; one partition holds the company's unapplied credits (hundreds)",
      },
    ],
    accessPatterns: [
      "a customer's balance (BALANCE) and entries in order (E#<seq>)",
      "a customer's unallocated credits (CREDIT#<receipt or credit note>)",
      "a payment reference's guard (REF#<receivedOn>#<normalised reference>, R-BILL-2): read by key before a payment is recorded, put in its transaction if absent, released by its reversal; it carries none of the indexes' keys",
      "a month's entries across customers (entriesByMonth)",
      'every unapplied customer credit, received on or before a day, across customers (unappliedCredits)',
    ],
  },
  creditNotes: {
    id: 'creditNotes',
    localName: 'o2c-credit-notes',
    partitionKey: { name: 'creditNoteId', type: S },
    indexes: [
      {
        name: 'byCustomer',
        partitionKey: { name: 'customerId', type: S },
        sortKey: { name: 'createdKey', type: S },
        serves: "a customer's credit notes, newest first (createdKey = createdAt#creditNoteId)",
      },
      {
        name: 'byMonth',
        partitionKey: { name: 'issuedMonth', type: S },
        sortKey: { name: 'issuedKey', type: S },
        serves: 'the credit notes issued in a month across customers (exports, statements); sparse: issued ones only',
      },
    ],
    accessPatterns: [
      'get a credit note by number (CN-YYYY-NNNNNN)',
      "what an invoice has been credited (creditNoteId = INVOICE#<invoiceId>: creditedMinor, the credit notes waiting and issued on it): the condition every new credit note checks, so that together they never pass the invoice's gross (R-BILL-4)",
      "a customer's credit notes (byCustomer)",
      "a month's issued credit notes (byMonth)",
    ],
  },
  returns: {
    id: 'returns',
    localName: 'o2c-returns',
    partitionKey: { name: 'returnId', type: S },
    indexes: [
      {
        name: 'byCustomer',
        partitionKey: { name: 'customerId', type: S },
        sortKey: { name: 'createdKey', type: S },
        serves: "a customer's returns, newest first (createdKey = createdAt#returnId)",
      },
      {
        name: 'byStatus',
        partitionKey: { name: 'status', type: S },
        sortKey: { name: 'createdKey', type: S },
        serves: 'returns waiting for inspection (quality, warehouse), approval, or the goods (warehouse: APPROVED), oldest first',
      },
    ],
    accessPatterns: [
      'get a return by number (RT-YYYY-NNNNNN)',
      "what has been returned of an invoice's lines (returnId = INVOICE#<invoiceId>: units per line claimed by returns not refused): the condition every new return checks, so that returns never pass what was invoiced (R-RETURN-1)",
      "a customer's returns (byCustomer)",
      'the returns in a status, oldest first (byStatus)',
    ],
  },
  exports: {
    id: 'exports',
    localName: 'o2c-exports',
    partitionKey: { name: 'exportId', type: S },
    indexes: [
      {
        name: 'recent',
        partitionKey: { name: 'listKey', type: S },
        sortKey: { name: 'createdKey', type: S },
        serves: 'finance exports newest first (GET /exports); listKey is constant: a few exports a day, thousands in years (createdKey = createdAt#exportId)',
      },
    ],
    accessPatterns: [
      'get an export by id (EX-<ULID> on demand, EX-DAILY-YYYY-MM-DD and EX-MONTH-YYYY-MM from the schedules: one per period, claimed conditionally)',
      'exports newest first (recent)',
    ],
  },
  reports: {
    id: 'reports',
    localName: 'o2c-reports',
    partitionKey: { name: 'reportId', type: S },
    indexes: [
      {
        name: 'byKind',
        partitionKey: { name: 'kind', type: S },
        sortKey: { name: 'reportId', type: S },
        serves: 'the sales summaries or the reconciliations, newest first',
      },
    ],
    accessPatterns: ['get a report by id (SALES-YYYY-MM-DD, RECON-YYYY-MM)', 'the reports of a kind (byKind)'],
  },
  statements: {
    id: 'statements',
    localName: 'o2c-statements',
    partitionKey: { name: 'statementId', type: S },
    indexes: [
      {
        name: 'byCustomer',
        partitionKey: { name: 'customerId', type: S },
        sortKey: { name: 'month', type: S },
        serves: "a customer's statements, newest month first",
      },
      {
        name: 'byMonth',
        partitionKey: { name: 'month', type: S },
        sortKey: { name: 'customerId', type: S },
        serves: "a month's statements across customers (finance sends them and follows the answers)",
      },
    ],
    accessPatterns: [
      'get a statement by number (ST-<customerId>-<YYYY-MM>: one per customer and month, put only if absent, R-BILL-6)',
      "a customer's statements (byCustomer)",
      "a month's statements (byMonth)",
    ],
  },
  workflowStarts: {
    id: 'workflowStarts',
    localName: 'o2c-workflow-starts',
    partitionKey: { name: 'startKey', type: S },
    indexes: [
      {
        name: 'byPending',
        partitionKey: { name: 'pending', type: S },
        sortKey: { name: 'requestedAt', type: S },
        serves: 'the sweeper: starts not yet made, oldest first; sparse, the key is removed once the execution exists',
      },
    ],
    timeToLiveAttribute: 'expiration',
    stream: 'NEW_IMAGE',
    accessPatterns: [
      'outbox: a workflow start is written once (startKey = stateMachine#executionName, conditional put) in the transaction of the status it carries on from',
      'the stream feeds StartWorkflows, which starts the execution and marks the item started (expiration: a month after)',
      'starts still pending after 2 minutes (byPending), for the sweeper workflow-starts-due',
    ],
  },
};

export const TABLE_LIST: TableDefinition[] = Object.values(TABLES);
