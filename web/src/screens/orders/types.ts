/** The order as the API returns it: the API's own type (functions/orders/schemas.ts), read as JSON. */
import type { Order as ApiOrder } from '../../../../functions/orders/schemas.js';

export type Order = ApiOrder;
