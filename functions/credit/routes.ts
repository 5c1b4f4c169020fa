/** Credit position and credit holds of a customer (R-CREDIT-4, R-CREDIT-5): one definition for handlers, CDK, the local gateway and OpenAPI. */
import { CUSTOMER_READERS } from '../customers/routes.js';
import { CustomerIdParams } from '../customers/schemas.js';
import { defineRoute } from '../shared/definitions.js';
import { CreditHoldLifted, CustomerCredit, LiftCreditHold, SetCreditHold } from './schemas.js';

export const creditRoutes = {
  getCustomerCredit: defineRoute({
    operationId: 'getCustomerCredit',
    method: 'GET',
    path: '/customers/{customerId}/credit',
    tag: 'Credit',
    summary: 'Limit, exposure, available, overdue, hold and the open items behind them (R-CREDIT-4, R-CREDIT-5); a sales rep sees own customers only',
    roles: CUSTOMER_READERS,
    params: CustomerIdParams,
    responses: { 200: { description: 'OK', schema: CustomerCredit } },
    function: {
      id: 'GetCustomerCredit',
      entry: 'functions/credit/handlers/get-customer-credit.ts',
      description: "Read a customer's credit position and log reads by others",
      access: { tables: { customers: 'read', credit: 'read', audit: 'write' } },
    },
  }),
  setCreditHold: defineRoute({
    operationId: 'setCreditHold',
    method: 'POST',
    path: '/customers/{customerId}/credit-hold',
    tag: 'Credit',
    summary: 'Put a customer on credit hold by hand, with a reason (R-CREDIT-5): no order passes credit and no goods are released until it is lifted; the rep and the VP sales are told',
    roles: ['finance', 'finance_manager'],
    params: CustomerIdParams,
    body: SetCreditHold,
    responses: { 200: { description: 'On hold', schema: CustomerCredit } },
    function: {
      id: 'SetCreditHold',
      entry: 'functions/credit/handlers/set-credit-hold.ts',
      description: 'Set a credit hold with history and notifications',
      access: { tables: { customers: 'read', credit: 'readwrite', audit: 'write', notifications: 'write' } },
    },
  }),
  liftCreditHold: defineRoute({
    operationId: 'liftCreditHold',
    method: 'POST',
    path: '/customers/{customerId}/credit-hold/lift',
    tag: 'Credit',
    summary: "Lift a customer's credit hold, with a reason (R-CREDIT-5: the GM); orders waiting in CREDIT_HOLD are checked again; the rep and the VP sales are told",
    roles: ['general_manager'],
    params: CustomerIdParams,
    body: LiftCreditHold,
    responses: { 200: { description: 'Lifted', schema: CreditHoldLifted } },
    function: {
      id: 'LiftCreditHold',
      entry: 'functions/credit/handlers/lift-credit-hold.ts',
      description: 'Lift a credit hold and resume the orders that waited for it',
      access: {
        tables: { customers: 'read', credit: 'readwrite', orders: 'read', tasks: 'readwrite', audit: 'write', notifications: 'write' },
        sendTaskResult: ['orderReview'],
      },
    },
  }),
};
