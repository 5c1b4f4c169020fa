/**
 * Every screen of the console: its route, and for the ones in the navigation, their label, group
 * and the operation whose roles decide who sees it (the API's own x-roles). A screen that needs
 * a permission to open at all names it in `operationId`.
 */
import { lazy, type ReactNode } from 'react';
import type { common } from '../i18n/common.js';

// Each screen is its own chunk, loaded when first opened: the first page needs only the frame and that screen.
const CustomerDetail = lazy(() => import('./customers/CustomerDetail.js').then((m) => ({ default: m.CustomerDetail })));
const CustomerList = lazy(() => import('./customers/CustomerList.js').then((m) => ({ default: m.CustomerList })));
const DeliveryNoteDetail = lazy(() => import('./delivery/DeliveryNoteDetail.js').then((m) => ({ default: m.DeliveryNoteDetail })));
const GatePass = lazy(() => import('./delivery/DeliveryNoteDetail.js').then((m) => ({ default: m.GatePass })));
const DeliveryNoteList = lazy(() => import('./delivery/DeliveryNoteList.js').then((m) => ({ default: m.DeliveryNoteList })));
const OrderDetail = lazy(() => import('./orders/OrderDetail.js').then((m) => ({ default: m.OrderDetail })));
const OrderForm = lazy(() => import('./orders/OrderForm.js').then((m) => ({ default: m.OrderForm })));
const OrderList = lazy(() => import('./orders/OrderList.js').then((m) => ({ default: m.OrderList })));
const Payments = lazy(() => import('./billing/Payments.js').then((m) => ({ default: m.Payments })));
const PaymentDetail = lazy(() => import('./billing/PaymentDetail.js').then((m) => ({ default: m.PaymentDetail })));
const CustomerLedger = lazy(() => import('./billing/CustomerLedger.js').then((m) => ({ default: m.CustomerLedger })));
const InvoiceDetail = lazy(() => import('./billing/InvoiceDetail.js').then((m) => ({ default: m.InvoiceDetail })));
const InvoiceList = lazy(() => import('./billing/InvoiceList.js').then((m) => ({ default: m.InvoiceList })));
const Receivables = lazy(() => import('./billing/Receivables.js').then((m) => ({ default: m.Receivables })));
const CreditNoteDetail = lazy(() => import('./credit-notes/CreditNoteDetail.js').then((m) => ({ default: m.CreditNoteDetail })));
const CreditNoteList = lazy(() => import('./credit-notes/CreditNoteList.js').then((m) => ({ default: m.CreditNoteList })));
const CreditNoteRequest = lazy(() => import('./credit-notes/CreditNoteRequest.js').then((m) => ({ default: m.CreditNoteRequest })));
const ReturnDetail = lazy(() => import('./returns/ReturnDetail.js').then((m) => ({ default: m.ReturnDetail })));
const ReturnList = lazy(() => import('./returns/ReturnList.js').then((m) => ({ default: m.ReturnList })));
const ReturnRequest = lazy(() => import('./returns/ReturnRequest.js').then((m) => ({ default: m.ReturnRequest })));
const StatementDetail = lazy(() => import('./statements/StatementDetail.js').then((m) => ({ default: m.StatementDetail })));
const StatementList = lazy(() => import('./statements/StatementList.js').then((m) => ({ default: m.StatementList })));
const TaskList = lazy(() => import('./tasks/TaskList.js').then((m) => ({ default: m.TaskList })));
const ProductDetail = lazy(() => import('./catalogue/ProductDetail.js').then((m) => ({ default: m.ProductDetail })));
const ProductForm = lazy(() => import('./catalogue/ProductForm.js').then((m) => ({ default: m.ProductForm })));
const ProductList = lazy(() => import('./catalogue/ProductList.js').then((m) => ({ default: m.ProductList })));
const PriceListDetail = lazy(() => import('./pricing/PriceListDetail.js').then((m) => ({ default: m.PriceListDetail })));
const PriceLists = lazy(() => import('./pricing/PriceLists.js').then((m) => ({ default: m.PriceLists })));
const VersionForm = lazy(() => import('./pricing/VersionForm.js').then((m) => ({ default: m.VersionForm })));
const ProductStock = lazy(() => import('./stock/ProductStock.js').then((m) => ({ default: m.ProductStock })));
const StockList = lazy(() => import('./stock/StockList.js').then((m) => ({ default: m.StockList })));
const StockMovementForm = lazy(() => import('./stock/StockMovementForm.js').then((m) => ({ default: m.StockMovementForm })));
const SupplyRequests = lazy(() => import('./stock/SupplyRequests.js').then((m) => ({ default: m.SupplyRequests })));
const ExportDetail = lazy(() => import('./exports/ExportDetail.js').then((m) => ({ default: m.ExportDetail })));
const ExportList = lazy(() => import('./exports/ExportList.js').then((m) => ({ default: m.ExportList })));
const Notifications = lazy(() => import('./notifications/Notifications.js').then((m) => ({ default: m.Notifications })));

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
  { path: 'payments/:receiptNumber', element: <PaymentDetail />, operationId: 'getPayment' },
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
  { path: 'supply-requests', element: <SupplyRequests />, operationId: 'listSupplyRequests', nav: { label: 'nav.supplyRequests', group: 'fulfilment', operationId: 'listSupplyRequests' } },
  { path: 'exports', element: <ExportList />, operationId: 'listExports', nav: { label: 'nav.exports', group: 'finance', operationId: 'listExports' } },
  { path: 'exports/:exportId', element: <ExportDetail />, operationId: 'getExport' },
  { path: 'notifications', element: <Notifications />, operationId: 'listNotifications', nav: { label: 'nav.notifications', group: 'system', operationId: 'listNotifications' } },
];
