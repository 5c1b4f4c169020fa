/** Catalogue routes (R-INTAKE-5): every signed-in role reads; the sales manager and admin maintain. */
import { defineRoute } from '../shared/definitions.js';
import { ROLES, type Role } from '../shared/roles.js';
import { ChangeEntry, PageQuery, pageOf } from '../shared/schemas.js';
import { CreateProduct, ListProductsQuery, Product, ProductCodeParams, RetireProduct, UpdateProduct } from './schemas.js';

export const CATALOG_MAINTAINERS: readonly Role[] = ['sales_manager', 'admin'];

export const catalogRoutes = {
  createProduct: defineRoute({
    operationId: 'createProduct',
    method: 'POST',
    path: '/products',
    tag: 'Catalogue',
    summary: 'Add a product to the catalogue',
    roles: CATALOG_MAINTAINERS,
    body: CreateProduct,
    idempotent: true,
    responses: { 201: { description: 'Created', schema: Product } },
    function: {
      id: 'CreateProduct',
      entry: 'functions/catalog/handlers/create-product.ts',
      description: 'Add a product',
      access: { tables: { products: 'readwrite', audit: 'write', idempotency: 'readwrite' } },
    },
  }),
  listProducts: defineRoute({
    operationId: 'listProducts',
    method: 'GET',
    path: '/products',
    tag: 'Catalogue',
    summary: 'List and search the catalogue',
    roles: ROLES,
    query: ListProductsQuery,
    responses: { 200: { description: 'OK', schema: pageOf(Product, 'ProductPage') } },
    function: {
      id: 'ListProducts',
      entry: 'functions/catalog/handlers/list-products.ts',
      description: 'List and search products',
      access: { tables: { products: 'read' } },
    },
  }),
  getProduct: defineRoute({
    operationId: 'getProduct',
    method: 'GET',
    path: '/products/{productCode}',
    tag: 'Catalogue',
    summary: 'Read a product',
    roles: ROLES,
    params: ProductCodeParams,
    responses: { 200: { description: 'OK', schema: Product } },
    function: {
      id: 'GetProduct',
      entry: 'functions/catalog/handlers/get-product.ts',
      description: 'Read a product',
      access: { tables: { products: 'read' } },
    },
  }),
  updateProduct: defineRoute({
    operationId: 'updateProduct',
    method: 'PATCH',
    path: '/products/{productCode}',
    tag: 'Catalogue',
    summary: 'Change a product; send If-Match with the version read',
    roles: CATALOG_MAINTAINERS,
    params: ProductCodeParams,
    body: UpdateProduct,
    responses: { 200: { description: 'OK', schema: Product } },
    function: {
      id: 'UpdateProduct',
      entry: 'functions/catalog/handlers/update-product.ts',
      description: 'Change a product and keep the history',
      access: { tables: { products: 'readwrite', audit: 'write' } },
    },
  }),
  retireProduct: defineRoute({
    operationId: 'retireProduct',
    method: 'POST',
    path: '/products/{productCode}/retirement',
    tag: 'Catalogue',
    summary: 'Retire a product: it stops being sellable and leaves the catalogue list; it is never erased, orders refer to it',
    roles: CATALOG_MAINTAINERS,
    params: ProductCodeParams,
    body: RetireProduct,
    responses: { 200: { description: 'Retired', schema: Product } },
    function: {
      id: 'RetireProduct',
      entry: 'functions/catalog/handlers/retire-product.ts',
      description: 'Retire a product',
      access: { tables: { products: 'readwrite', audit: 'write' } },
    },
  }),
  getProductHistory: defineRoute({
    operationId: 'getProductHistory',
    method: 'GET',
    path: '/products/{productCode}/history',
    tag: 'Catalogue',
    summary: 'Every change to a product (R-INFO-3)',
    roles: ROLES,
    params: ProductCodeParams,
    query: PageQuery,
    responses: { 200: { description: 'OK', schema: pageOf(ChangeEntry, 'ProductChangePage') } },
    function: {
      id: 'GetProductHistory',
      entry: 'functions/catalog/handlers/get-product-history.ts',
      description: "Read a product's change history",
      access: { tables: { audit: 'read' } },
    },
  }),
};
