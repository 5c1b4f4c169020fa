/**
 * Every screen of the console: its route, and for the ones in the navigation, their label, group
 * and the operation whose roles decide who sees it (the API's own x-roles). A screen that needs
 * a permission to open at all names it in `operationId`.
 */
import type { ReactNode } from 'react';
import type { common } from '../i18n/common.js';
import { CustomerDetail } from './customers/CustomerDetail.js';
import { CustomerList } from './customers/CustomerList.js';
import { DeliveryNoteDetail, GatePass } from './delivery/DeliveryNoteDetail.js';
import { DeliveryNoteList } from './delivery/DeliveryNoteList.js';
import { OrderDetail } from './orders/OrderDetail.js';
import { OrderForm } from './orders/OrderForm.js';
import { OrderList } from './orders/OrderList.js';
import { Payments } from './billing/Payments.js';
import { CustomerLedger } from './billing/CustomerLedger.js';
import { InvoiceDetail } from './billing/InvoiceDetail.js';
import { InvoiceList } from './billing/InvoiceList.js';
import { Receivables } from './billing/Receivables.js';
import { CreditNoteDetail } from './credit-notes/CreditNoteDetail.js';
import { CreditNoteList } from './credit-notes/CreditNoteList.js';
import { CreditNoteRequest } from './credit-notes/CreditNoteRequest.js';
import { ReturnDetail } from './returns/ReturnDetail.js';
import { ReturnList } from './returns/ReturnList.js';
import { ReturnRequest } from './returns/ReturnRequest.js';
import { StatementDetail } from './statements/StatementDetail.js';
import { StatementList } from './statements/StatementList.js';
import { TaskList } from './tasks/TaskList.js';
import { ProductDetail } from './catalogue/ProductDetail.js';
import { ProductForm } from './catalogue/ProductForm.js';
import { ProductList } from './catalogue/ProductList.js';
import { PriceListDetail } from './pricing/PriceListDetail.js';
import { PriceLists } from './pricing/PriceLists.js';
import { VersionForm } from './pricing/VersionForm.js';
import { ProductStock } from './stock/ProductStock.js';
import { StockList } from './stock/StockList.js';
import { StockMovementForm } from './stock/StockMovementForm.js';
import { SupplyRequests } from './stock/SupplyRequests.js';
import { ExportDetail } from './exports/ExportDetail.js';
import { ExportList } from './exports/ExportList.js';
import { Notifications } from './notifications/Notifications.js';

export const NAV_GROUPS = ['sales', 'fulfilment', 'finance', 'system'] as const;
export type NavGroup = (typeof NAV_GROUPS)[number];
type NavLabel = Extract<keyof typeof common, `nav.${string}`>;

export interface Screen {
  path: string;
  element: ReactNode;
  /** Who may open it; omitted = whoever is signed in. */
  operationId?: string;
  nav?: { label: NavLabel; group: NavGroup; operationId: string };
}

export const SCREENS: Screen[] = [
  { path: 'tasks', element: <TaskList />, operationId: 'listTasks', nav: { label: 'nav.tasks', group: 'sales', operationId: 'listTasks' } },
  { path: 'orders', element: <OrderList />, operationId: 'listOrders', nav: { label: 'nav.orders', group: 'sales', operationId: 'listOrders' } },
  { path: 'orders/new', element: <OrderForm />, operationId: 'createOrder' },
  { path: 'orders/:orderId', element: <OrderDetail />, operationId: 'getOrder' },
  { path: 'orders/:orderId/edit', element: <OrderForm />, operationId: 'updateOrder' },
  { path: 'customers', element: <CustomerList />, operationId: 'listCustomers', nav: { label: 'nav.customers', group: 'sales', operationId: 'listCustomers' } },
  { path: 'customers/:customerId', element: <CustomerDetail />, operationId: 'getCustomer' },
  { path: 'delivery-notes', element: <DeliveryNoteList />, operationId: 'listDeliveryNotes', nav: { label: 'nav.deliveryNotes', group: 'fulfilment', operationId: 'listDeliveryNotes' } },
  { path: 'delivery-notes/:deliveryNoteId', element: <DeliveryNoteDetail />, operationId: 'getDeliveryNote' },
  { path: 'delivery-notes/:deliveryNoteId/gate-pass', element: <GatePass />, operationId: 'getGatePass' },
  { path: 'payments', element: <Payments />, operationId: 'recordPayment', nav: { label: 'nav.payments', group: 'finance', operationId: 'recordPayment' } },
  { path: 'invoices', element: <InvoiceList />, operationId: 'listInvoices', nav: { label: 'nav.invoices', group: 'finance', operationId: 'listInvoices' } },
  { path: 'invoices/:invoiceId', element: <InvoiceDetail />, operationId: 'getInvoice' },
  { path: 'customers/:customerId/ledger', element: <CustomerLedger />, operationId: 'getCustomerLedger' },
  { path: 'statements', element: <StatementList />, operationId: 'listStatements', nav: { label: 'nav.statements', group: 'finance', operationId: 'listStatements' } },
  { path: 'statements/:statementId', element: <StatementDetail />, operationId: 'getStatement' },
  { path: 'credit-notes', element: <CreditNoteList />, operationId: 'listCreditNotes', nav: { label: 'nav.creditNotes', group: 'finance', operationId: 'listCreditNotes' } },
  { path: 'credit-notes/new', element: <CreditNoteRequest />, operationId: 'requestCreditNote' },
  { path: 'credit-notes/:creditNoteId', element: <CreditNoteDetail />, operationId: 'getCreditNote' },
  { path: 'returns', element: <ReturnList />, operationId: 'listReturns', nav: { label: 'nav.returns', group: 'finance', operationId: 'listReturns' } },
  { path: 'returns/new', element: <ReturnRequest />, operationId: 'requestReturn' },
  { path: 'returns/:returnId', element: <ReturnDetail />, operationId: 'getReturn' },
  { path: 'receivables', element: <Receivables />, operationId: 'getReceivablesAging', nav: { label: 'nav.receivables', group: 'finance', operationId: 'getReceivablesAging' } },
  { path: 'products', element: <ProductList />, operationId: 'listProducts', nav: { label: 'nav.catalogue', group: 'sales', operationId: 'listProducts' } },
  { path: 'products/new', element: <ProductForm />, operationId: 'createProduct' },
  { path: 'products/:productCode', element: <ProductDetail />, operationId: 'getProduct' },
  { path: 'products/:productCode/edit', element: <ProductForm />, operationId: 'updateProduct' },
  { path: 'price-lists', element: <PriceLists />, operationId: 'listPriceLists', nav: { label: 'nav.priceLists', group: 'sales', operationId: 'listPriceLists' } },
  { path: 'price-lists/:priceListId', element: <PriceListDetail />, operationId: 'listPriceListVersions' },
  { path: 'price-lists/:priceListId/versions/new', element: <VersionForm />, operationId: 'createPriceListVersion' },
  { path: 'price-lists/:priceListId/versions/:version/edit', element: <VersionForm />, operationId: 'updatePriceListVersion' },
  { path: 'stock', element: <StockList />, operationId: 'listStock', nav: { label: 'nav.stock', group: 'fulfilment', operationId: 'listStock' } },
  { path: 'stock/receipts/new', element: <StockMovementForm kind="receipt" />, operationId: 'recordStockReceipt' },
  { path: 'stock/adjustments/new', element: <StockMovementForm kind="adjustment" />, operationId: 'recordStockAdjustment' },
  { path: 'stock/:productCode', element: <ProductStock />, operationId: 'getProductStock' },
  { path: 'supply-requests', element: <SupplyRequests />, operationId: 'listSupplyRequests' },
  { path: 'exports', element: <ExportList />, operationId: 'listExports', nav: { label: 'nav.exports', group: 'finance', operationId: 'listExports' } },
  { path: 'exports/:exportId', element: <ExportDetail />, operationId: 'getExport' },
  { path: 'notifications', element: <Notifications />, operationId: 'listNotifications', nav: { label: 'nav.notifications', group: 'system', operationId: 'listNotifications' } },
];
