/** Who replenishes a product (R-FULFIL-2, R-FULFIL-9): kept apart so that the stock writers need not load the order side. */
import type { Product } from '../catalog/schemas.js';
import type { Role } from '../shared/roles.js';
import type { SupplyRequest } from './schemas.js';

/** Manufactured goods are made by production; traded goods are bought in by the warehouse, which receives them. */
export const departmentFor = (product: Pick<Product, 'productType'>): { kind: SupplyRequest['kind']; role: Role } =>
  product.productType === 'manufactured' ? { kind: 'PRODUCTION', role: 'production' } : { kind: 'PURCHASE', role: 'warehouse' };
