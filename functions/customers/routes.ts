/** Customer archive routes (R-INFO-1..3, R-CREDIT-2): one definition read by handlers, CDK, the local gateway and OpenAPI. */
import * as z from 'zod';
import { type FunctionDefinition, defineRoute } from '../shared/definitions.js';
import type { Role } from '../shared/roles.js';
import { AccessEntry, ChangeEntry, PageQuery, pageOf } from '../shared/schemas.js';
import {
  AllowCashCollection,
  CreateCustomer,
  Customer,
  CustomerIdParams,
  CustomerSummary,
  ListCustomersQuery,
  RequestCreditReview,
  UpdateCreditProfile,
  UpdateCustomer,
} from './schemas.js';

/** Who may read customer data at all; a sales rep only their own (checked in the handler). */
export const CUSTOMER_READERS: readonly Role[] = [
  'sales_rep',
  'sales_clerk',
  'order_desk',
  'sales_manager',
  'sales_vp',
  'general_manager',
  'finance',
  'finance_manager',
  'customer_service',
  'auditor',
];
export const CUSTOMER_EDITORS: readonly Role[] = ['sales_rep', 'sales_clerk', 'sales_manager'];

const ok = (schema: z.ZodType, description = 'OK') => ({ description, schema });

/** R-BILL-2: one function allows and stops a rep's cash collection (same access). */
const cashCollection: FunctionDefinition = {
  id: 'CashCollection',
  entry: 'functions/customers/handlers/cash-collection.ts',
  description: "Allow or stop a rep's cash collection for a customer, with history",
  access: { tables: { customers: 'readwrite', audit: 'write', notifications: 'write' } },
};

export const customerRoutes = {
  createCustomer: defineRoute({
    operationId: 'createCustomer',
    method: 'POST',
    path: '/customers',
    tag: 'Customers',
    summary: 'Create a customer; its credit review starts at once (R-CREDIT-2)',
    roles: CUSTOMER_EDITORS,
    body: CreateCustomer,
    idempotent: true,
    responses: { 201: ok(Customer, 'Created; credit review started') },
    function: {
      id: 'CreateCustomer',
      entry: 'functions/customers/handlers/create-customer.ts',
      description: 'Create a customer and start its credit review',
      access: {
        tables: { workflowStarts: 'write', customers: 'readwrite', audit: 'write', counters: 'readwrite', idempotency: 'readwrite' },
      },
    },
  }),
  listCustomers: defineRoute({
    operationId: 'listCustomers',
    method: 'GET',
    path: '/customers',
    tag: 'Customers',
    summary: 'List and search customers; a sales rep sees own customers only',
    roles: CUSTOMER_READERS,
    query: ListCustomersQuery,
    responses: { 200: ok(pageOf(CustomerSummary, 'CustomerPage')) },
    function: {
      id: 'ListCustomers',
      entry: 'functions/customers/handlers/list-customers.ts',
      description: 'List and search customers',
      access: { tables: { customers: 'read' } },
    },
  }),
  getCustomer: defineRoute({
    operationId: 'getCustomer',
    method: 'GET',
    path: '/customers/{customerId}',
    tag: 'Customers',
    summary: 'Read a customer; reads by anyone but the owner are logged (R-INFO-2)',
    roles: CUSTOMER_READERS,
    params: CustomerIdParams,
    responses: { 200: ok(Customer) },
    function: {
      id: 'GetCustomer',
      entry: 'functions/customers/handlers/get-customer.ts',
      description: 'Read a customer and log reads by others',
      access: { tables: { customers: 'read', audit: 'write' } },
    },
  }),
  updateCustomer: defineRoute({
    operationId: 'updateCustomer',
    method: 'PATCH',
    path: '/customers/{customerId}',
    tag: 'Customers',
    summary: 'Change archive fields; send If-Match with the version read to avoid overwriting a colleague',
    roles: CUSTOMER_EDITORS,
    params: CustomerIdParams,
    body: UpdateCustomer,
    responses: { 200: ok(Customer) },
    function: {
      id: 'UpdateCustomer',
      entry: 'functions/customers/handlers/update-customer.ts',
      description: 'Change a customer and keep the history',
      access: { tables: { customers: 'readwrite', audit: 'write' } },
    },
  }),
  getCustomerHistory: defineRoute({
    operationId: 'getCustomerHistory',
    method: 'GET',
    path: '/customers/{customerId}/history',
    tag: 'Customers',
    summary: 'Every change to a customer: who, when, before and after (R-INFO-3)',
    roles: CUSTOMER_READERS,
    params: CustomerIdParams,
    query: PageQuery,
    responses: { 200: ok(pageOf(ChangeEntry, 'ChangeEntryPage')) },
    function: {
      id: 'GetCustomerHistory',
      entry: 'functions/customers/handlers/get-customer-history.ts',
      description: "Read a customer's change history",
      access: { tables: { customers: 'read', audit: 'readwrite' } },
    },
  }),
  getCustomerAccessLog: defineRoute({
    operationId: 'getCustomerAccessLog',
    method: 'GET',
    path: '/customers/{customerId}/access-log',
    tag: 'Customers',
    summary: "Who outside the owner rep read this customer's data or was refused it: who, what (a code and its parameters), when, ALLOWED or REFUSED (R-INFO-2)",
    roles: ['sales_manager', 'auditor'],
    params: CustomerIdParams,
    query: PageQuery,
    responses: { 200: ok(pageOf(AccessEntry, 'AccessEntryPage')) },
    function: {
      id: 'GetCustomerAccessLog',
      entry: 'functions/customers/handlers/get-customer-access-log.ts',
      description: "Read a customer's access log",
      access: { tables: { customers: 'read', audit: 'read' } },
    },
  }),
  requestCreditReview: defineRoute({
    operationId: 'requestCreditReview',
    method: 'POST',
    path: '/customers/{customerId}/credit-reviews',
    tag: 'Customers',
    summary: 'Start a new credit review round for a customer (R-CREDIT-1)',
    roles: ['finance', 'finance_manager', 'sales_manager'],
    params: CustomerIdParams,
    body: RequestCreditReview,
    responses: { 202: ok(Customer, 'Review started') },
    function: {
      id: 'RequestCreditReview',
      entry: 'functions/customers/handlers/request-credit-review.ts',
      description: 'Start a credit review round',
      access: { tables: { workflowStarts: 'write', customers: 'readwrite', audit: 'write' } },
    },
  }),
  allowCashCollection: defineRoute({
    operationId: 'allowCashCollection',
    method: 'PUT',
    path: '/customers/{customerId}/cash-collection',
    tag: 'Customers',
    summary: "The sales manager allows a sales rep to collect this customer's cash until a day, with a reason (R-BILL-2: reps do not collect cash otherwise)",
    roles: ['sales_manager'],
    params: CustomerIdParams,
    body: AllowCashCollection,
    responses: { 200: ok(Customer) },
    function: cashCollection,
  }),
  stopCashCollection: defineRoute({
    operationId: 'stopCashCollection',
    method: 'DELETE',
    path: '/customers/{customerId}/cash-collection',
    tag: 'Customers',
    summary: "The sales manager withdraws a rep's permission to collect this customer's cash",
    roles: ['sales_manager'],
    params: CustomerIdParams,
    responses: { 200: ok(Customer) },
    function: cashCollection,
  }),
  updateCreditProfile: defineRoute({
    operationId: 'updateCreditProfile',
    method: 'PATCH',
    path: '/customers/{customerId}/credit-profile',
    tag: 'Customers',
    summary:
      'Change an approved credit profile between reviews, with a reason (R-CREDIT-1, R-CREDIT-6, R-CREDIT-7): finance lowers the limit or shortens terms, raising either needs the finance manager; send If-Match',
    roles: ['finance', 'finance_manager'],
    params: CustomerIdParams,
    body: UpdateCreditProfile,
    responses: { 200: ok(Customer) },
    function: {
      id: 'UpdateCreditProfile',
      entry: 'functions/customers/handlers/update-credit-profile.ts',
      description: 'Change a credit profile with history and the credit account; tell the rep and VP sales when credit is cut; re-check orders a lower limit no longer covers',
      access: {
        tables: { workflowStarts: 'write', customers: 'readwrite', credit: 'readwrite', orders: 'readwrite', audit: 'write', notifications: 'write' },
      },
    },
  }),
};
