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
import { TaskList } from './tasks/TaskList.js';

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
];
